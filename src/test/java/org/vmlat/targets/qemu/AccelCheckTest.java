package org.vmlat.targets.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.Executables;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestImageBuilder;

/** A real QEMU boot: the cache decides runs, never a test boot asked for explicitly. */
class AccelCheckTest {
    @TempDir
    Path cache;

    @TempDir
    Path state;

    @Test
    void testBootStartsAFreshQemuWhateverTheCacheSaysAndRefreshesIt() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/kvm")) && Executables.which("qemu-system-x86_64").isPresent(), "no /dev/kvm or QEMU here");
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        Files.writeString(cache.resolve("accel-" + bootId), "stale\n");
        GuestImage image = new GuestImageBuilder(GuestImageBuilder.defaultCacheDir()).build("nrt", m -> { });
        AccelCheck check = new AccelCheck(cache, state);
        QemuTarget qemu = new QemuTarget("kvm-test", new QemuSettings("nrt", 1, 256, "auto",
                List.of(), 0, 0, List.of(), 60_000_000_000L), null, null, check, m -> { }, m -> { });
        List<String> accelerators = new ArrayList<>();
        AccelCheck.CommandBuilder recording = (img, accel, args, load, dir) -> {
            accelerators.add(accel);
            return qemu.command(img, accel, args, load, dir);
        };

        assertThat(check.decide(image, recording)).isEqualTo("stale");
        assertThat(accelerators).as("a cached answer boots nothing").isEmpty();

        AccelCheck.TestBoot boot = check.testBoot(image, recording);
        System.out.println("test boot: " + boot);
        assertThat(accelerators).containsExactly("kvm");
        assertThat(boot.qemuPid()).as("the pid of a process that ran qemu-system-x86_64").isPositive();
        assertThat(ProcessHandle.of(boot.qemuPid()).map(ProcessHandle::isAlive)).as("QEMU stopped after the boot").isIn(Optional.empty(), Optional.of(false));
        assertThat(boot.answer()).isIn("kvm", "tcg");
        assertThat(AccelCheck.cached(cache)).contains(boot.answer());
    }
}
