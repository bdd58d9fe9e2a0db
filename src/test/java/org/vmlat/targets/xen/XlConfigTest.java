package org.vmlat.targets.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XlConfigTest {
    static XenSettings settings(String mode, List<Integer> pin, int vcpus, String scheduler) {
        return new XenSettings(null, true, mode, "nrt", vcpus, 256, pin, 0, scheduler, "", List.of(), 180_000_000_000L);
    }

    @Test
    void pvGuestHasKernelRamdiskConsoleAndEveryExitDestroys() {
        String cfg = XlConfig.render("vmlat-h-1-1", settings("pv", List.of(1), 1, ""), "/img/vmlinuz", "/img/initrd.gz", "quiet vmlat.args=-i1000", "");
        assertThat(cfg).isEqualTo("""
                name = "vmlat-h-1-1"
                type = "pv"
                kernel = "/img/vmlinuz"
                ramdisk = "/img/initrd.gz"
                extra = "console=hvc0 quiet vmlat.args=-i1000"
                memory = 256
                vcpus = 1
                cpus = "1"
                on_poweroff = "destroy"
                on_reboot = "destroy"
                on_crash = "destroy"
                """);
    }

    @Test
    void hvmGuestTalksOnTheSerialPortWithoutDisplayAndNativeTsc() {
        String cfg = XlConfig.render("g", settings("hvm", List.of(), 1, ""), "/img/vmlinuz", "/img/initrd.gz", "quiet", "");
        assertThat(cfg).contains("type = \"hvm\"", "extra = \"console=ttyS0 quiet\"", "serial = \"pty\"", "vga = \"none\"", "vnc = 0",
                "tsc_mode = \"native\"").doesNotContain("\ncpus =", "pool =");
    }

    @Test
    void pvhGetsNativeTscButNoSerial() {
        String cfg = XlConfig.render("g", settings("pvh", List.of(), 1, ""), "/k", "/i", "", "");
        assertThat(cfg).contains("type = \"pvh\"", "tsc_mode = \"native\"", "console=hvc0").doesNotContain("serial", "vga");
    }

    @Test
    void vcpusArePinnedRoundRobinAndThePoolNamed() {
        String cfg = XlConfig.render("g", settings("pv", List.of(2, 3), 3, "credit"), "/k", "/i", "", "vmlat-pool");
        assertThat(cfg).contains("vcpus = 3", "cpus = [\"2\", \"3\", \"2\"]", "pool = \"vmlat-pool\"");
    }

    @Test
    void cpuidAndExtraLinesAreWrittenAsGiven() {
        XenSettings s = new XenSettings(null, false, "pvh", "rt", 1, 512, List.of(), 0, "", "host,avx=0", List.of("cpu_weight = 512"), 1);
        String cfg = XlConfig.render("g", s, "/k", "/i", "", "");
        assertThat(cfg).contains("memory = 512", "cpuid = \"host,avx=0\"").endsWith("cpu_weight = 512\n");
    }

    @Test
    void valuesXlCannotQuoteAreRefused() {
        assertThatThrownBy(() -> XlConfig.render("g", settings("pv", List.of(), 1, ""), "/k\"x", "/i", "", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/k\"x");
    }

    @Test
    void scenarioDimensionsOverrideTheTarget() {
        XenSettings s = settings("pv", List.of(1), 1, "").with(Map.of("mode", "hvm", "kernel", "rt", "dm_priority", "99", "scheduler", "credit"));
        assertThat(s.mode()).isEqualTo("hvm");
        assertThat(s.kernel()).isEqualTo("rt");
        assertThat(s.dmPriority()).isEqualTo(99);
        assertThat(s.scheduler()).isEqualTo("credit");
        assertThat(settings("pv", List.of(1), 1, "credit").with(Map.of("scheduler", "pool0")).scheduler()).isEmpty();
    }

    @Test
    void aSchedulerNeedsPinnedCpusAndAKnownName() {
        assertThatThrownBy(() -> settings("pv", List.of(), 1, "credit")).hasMessageContaining("needs pin");
        assertThatThrownBy(() -> settings("pv", List.of(1), 1, "cfs")).hasMessageContaining("cfs");
        assertThatThrownBy(() -> settings("kvm", List.of(), 1, "")).hasMessageContaining("kvm");
    }

    @Test
    void guestCmdlineGoesInExtraBeforeVmlatsOwnParameters() {
        XenSettings s = settings("pv", List.of(1), 1, "").with(Map.of("guest_cmdline", "xen_timer_slop=0"));
        String cfg = XlConfig.render("g", s, "/img/vmlinuz", "/img/initrd.gz", XenTarget.cmdline(s.guestCmdline(), "-i200", false, false), "");
        assertThat(cfg).isEqualTo("""
                name = "g"
                type = "pv"
                kernel = "/img/vmlinuz"
                ramdisk = "/img/initrd.gz"
                extra = "console=hvc0 quiet loglevel=1 xen_timer_slop=0 vmlat.args=-i200"
                memory = 256
                vcpus = 1
                cpus = "1"
                on_poweroff = "destroy"
                on_reboot = "destroy"
                on_crash = "destroy"
                """);
        assertThat(XenTarget.cmdline("", "-i200", true, false)).isEqualTo("quiet loglevel=1 vmlat.args=-i200 vmlat.load=hackbench");
    }

    /** A traced guest's /init reads vmlat.trace; no_hash_pointers keeps the timers' addresses apart in its trace. */
    @Test
    void aTracedGuestIsToldSoOnItsCommandLine() {
        assertThat(XenTarget.cmdline("xen_timer_slop=0", "-i1000", false, true))
                .isEqualTo("quiet loglevel=1 xen_timer_slop=0 vmlat.args=-i1000 vmlat.trace=16384 no_hash_pointers");
    }
}
