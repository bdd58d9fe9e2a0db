package org.vmlat.targets.qemu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.targets.image.GuestCmdline;

/** guest_cmdline reaches QEMU's -append before vmlat's own parameters and is part of the boot key (another value boots afresh). */
class GuestCmdlineBootTest {
    @TempDir
    Path dir;

    QemuTarget target(String guestCmdline) {
        QemuSettings base = new QemuSettings("nrt", 1, 256, "tcg", List.of(), 0, 0, List.of(), 60_000_000_000L);
        return ServedGuestTest.target(dir, "vm", base.forScenario(Map.of(GuestCmdline.DIMENSION, guestCmdline)), new GuestSlot(), new java.util.ArrayList<>());
    }

    @Test
    void theParametersGoInFrontOfVmlatsOwnOnTheQemuCommandLine() {
        List<String> cmd = target("xen_timer_slop=0 nohz=off").command("/k", "/i", false, "tcg", "-i1000", "", "/d");
        assertThat(cmd.get(cmd.indexOf("-append") + 1)).isEqualTo("console=ttyS0 quiet panic=-1 no_timer_check xen_timer_slop=0 nohz=off vmlat.args=-i1000");
        List<String> none = target("").command("/k", "/i", false, "tcg", "-i1000", "hackbench", "/d");
        assertThat(none.get(none.indexOf("-append") + 1)).isEqualTo("console=ttyS0 quiet panic=-1 no_timer_check vmlat.args=-i1000 vmlat.load=hackbench");
    }

    @Test
    void anotherCommandLineIsAnotherBootKey() {
        QemuHost.ImageFiles files = new QemuHost.ImageFiles("/k", "/i");
        BootKey plain = target("").bootKey(files, "tcg");
        BootKey slop = target("xen_timer_slop=0").bootKey(files, "tcg");
        assertThat(slop).isNotEqualTo(plain);
        assertThat(slop.cmdline()).isEqualTo("console=ttyS0 quiet panic=-1 no_timer_check xen_timer_slop=0 vmlat.serve=1");
        assertThat(plain.cmdline()).isEqualTo("console=ttyS0 quiet panic=-1 no_timer_check vmlat.serve=1");
        assertThat(target("xen_timer_slop=0").bootKey(files, "tcg")).isEqualTo(slop);
    }
}
