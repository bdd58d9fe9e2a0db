package org.vmlat.targets.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.os.SchedPolicy;
import org.vmlat.probe.ProbeSpec;

/**
 * A guest's result assembled from the guest's real output: a QEMU guest's virtio-serial channel
 * and a Xen PVH guest's console. Expected figures are read off the fixtures' own lines.
 */
class GuestRunTest {
    static final long MS = 1_000_000, S = 1_000_000_000L;
    /** A lab scenario: 1 s at 1 ms, SCHED_FIFO 95, histogram to 2 ms, the host's CPU 1. */
    static final ProbeSpec SPEC = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 0, 1, List.of(1), S, 0, true, 0, false, 10, 0, 2 * MS);

    static String fixture(String path) throws Exception {
        try (InputStream in = GuestRunTest.class.getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void theGuestIsToldTheOptionsOfTheOneCommandLineBuilder() {
        assertThat(GuestArgs.kernelValue(SPEC)).isEqualTo("-m,--policy=fifo,-p95,-i1000,-t1,-D1,-l1000,-h2000,-q");
        // the fixture's JSON records what the guest ran: "cyclictest -m --policy=fifo -p95 -i1000 -t1 -D1 -l1000 -h2000 -q --json=/tmp/r.json"
        assertThat(GuestArgs.commandLine(SPEC)).isEqualTo("cyclictest -m --policy=fifo -p95 -i1000 -t1 -D1 -l1000 -h2000 -q");
    }

    @Test
    void aQemuGuestsResult() throws Exception {
        String text = fixture("/org/vmlat/targets/image/qemu-rt-result.txt");
        String console = fixture("/org/vmlat/targets/image/qemu-rt-console.log");
        Map<String, String> qemu = new LinkedHashMap<>();
        qemu.put("qemu.accel", "tcg");
        qemu.put("qemu.vcpus", "1");
        GuestRun run = new GuestRun("rt-guest", SPEC, "linux-image-6.1.0-57-rt-amd64", qemu,
                Map.of("guest.accel", "tcg (full emulation, not KVM)"), List.of("EMULATED: QEMU full emulation (TCG)"));
        MeasurementResult r = run.result(GuestOutput.parse("guest rt-guest", text, MS, S), console, 1000, 3000);

        assertThat(r.engine()).isEqualTo("cyclictest@rt-guest");
        assertThat(r.realtime()).isTrue();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.breaktrace()).isEmpty();
        assertThat(List.of(r.startEpochMs(), r.endEpochMs(), r.startMonotonicNs())).containsExactly(1000L, 3000L, -1L);
        assertThat(r.settings()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("engine", "cyclictest"),
                Map.entry("command", "cyclictest -m --policy=fifo -p95 -i1000 -t1 -D1 -l1000 -h2000 -q"),
                Map.entry("qemu.accel", "tcg"),
                Map.entry("qemu.vcpus", "1"),
                Map.entry("guest.kernel_package", "linux-image-6.1.0-57-rt-amd64"),
                Map.entry("interval_ns", "1000000"),
                Map.entry("policy", "fifo"),
                Map.entry("priority", "95"),
                Map.entry("overruns", "estimated: duration / interval - activations"),
                Map.entry("cyclictest_version", "2.40"),
                Map.entry("guest.console", "VMLAT-READY 6.1.0-57-rt-amd64 realtime=1\nVMLAT-START\nVMLAT-END rc=0\n[   10.310868] reboot: Power down\n")));
        assertThat(r.system()).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("guest.release", "6.1.0-57-rt-amd64"), Map.entry("guest.realtime", "1"), Map.entry("guest.clocksource", "tsc"),
                Map.entry("guest.cpus", "1"), Map.entry("guest.hypervisor", "none"), Map.entry("guest.guest_type", "none"),
                Map.entry("guest.xen_version", "."), Map.entry("guest.elapsed", "1.17"),
                Map.entry("guest.cyclictest.sysname", "Linux"), Map.entry("guest.cyclictest.nodename", "(none)"),
                Map.entry("guest.cyclictest.release", "6.1.0-57-rt-amd64"),
                Map.entry("guest.cyclictest.version", "#1 SMP PREEMPT_RT Debian 6.1.192-3 (2026-11-26)"),
                Map.entry("guest.cyclictest.machine", "x86_64"), Map.entry("guest.cyclictest.realtime", "1"),
                Map.entry("guest.accel", "tcg (full emulation, not KVM)")));
        assertThat(r.warnings()).containsExactly("EMULATED: QEMU full emulation (TCG)");

        // "# Total: 000000967", "# Histogram Overflows: 00001" (2738 us, past -h2000), "# Min Latencies: 00057",
        // "# Avg Latencies: 00208", "# Max Latencies: 02738"; 1000 periods in the second, 968 activations seen
        assertThat(r.threads()).hasSize(1);
        ThreadResult t = r.threads().get(0);
        assertThat(List.of(t.count(), t.histogram().getTotalCount(), t.histogramOverflows(), t.overruns()))
                .containsExactly(968L, 967L, 1L, 32L);
        assertThat(List.of(t.minNs(), t.maxNs(), t.sumNs(), t.intervalNs(), t.resolutionNs()))
                .containsExactly(57_000L, 2_738_000L, 208_000L * 968, MS, 1000L);
        assertThat(t.histogram().getCountAtValue(78_000)).isEqualTo(16); // "000078 000016"
    }

    @Test
    void aXenGuestsResult() throws Exception {
        String console = fixture("/xen/pvh-console.txt");
        Map<String, String> xen = new LinkedHashMap<>();
        xen.put("xen.mode", "pvh");
        xen.put("emulated", "Xen 4.17 in QEMU");
        Map<String, String> xenFacts = new LinkedHashMap<>();
        xenFacts.put("xen.version", "4.17");
        xenFacts.put("guest.hypervisor", "xen (from xl info)"); // the kind's word wins over the guest's
        GuestRun run = new GuestRun("xen-pvh", SPEC, "linux-image-6.1.0-56-amd64", xen, xenFacts,
                List.of("EMULATED: Xen in QEMU"));
        MeasurementResult r = run.result(GuestOutput.parse("Xen guest xen-pvh", console, MS, S), console, 5, 9);

        assertThat(r.engine()).isEqualTo("cyclictest@xen-pvh");
        assertThat(r.settings()).containsEntry("xen.mode", "pvh").containsEntry("emulated", "Xen 4.17 in QEMU")
                .containsEntry("guest.kernel_package", "linux-image-6.1.0-56-amd64").containsEntry("cyclictest_version", "2.40")
                .containsEntry("command", "cyclictest -m --policy=fifo -p95 -i1000 -t1 -D1 -l1000 -h2000 -q").hasSize(11);
        // the console's \r\n become \n
        assertThat(r.settings().get("guest.console")).isEqualTo(console.replace("\r", "")).doesNotContain("\r");
        assertThat(r.system()).containsEntry("guest.guest_type", "PVH").containsEntry("guest.clocksource", "xen")
                .containsEntry("guest.hypervisor", "xen (from xl info)").containsEntry("xen.version", "4.17")
                .containsEntry("guest.cyclictest.release", "6.18.44-fc-v669");
        assertThat(r.warnings()).containsExactly("EMULATED: Xen in QEMU");
        // "# Total: 000001000", min 12, max 60, no overflows; 1000 periods, all seen
        ThreadResult t = r.threads().get(0);
        assertThat(List.of(t.count(), t.minNs(), t.maxNs(), t.overruns(), t.histogramOverflows())).containsExactly(1000L, 12_000L, 60_000L, 0L, 0L);
    }

    @Test
    void aFailedOrStarvedCyclictestIsWarnedAboutForEveryKind() throws Exception {
        String console = fixture("/xen/pvh-console.txt").replace("VMLAT-RC 0", "VMLAT-RC 1")
                .replace("xen_version=4.17.7", "xen_version=4.17.7 elapsed=31.5");
        GuestRun run = new GuestRun("g", SPEC, "k", Map.of(), Map.of(), List.of("the kind's own"));
        MeasurementResult r = run.result(GuestOutput.parse("g", console, MS, S), "", 0, 0);
        assertThat(r.warnings()).hasSize(3);
        assertThat(r.warnings().get(0)).isEqualTo("the kind's own");
        assertThat(r.warnings().get(1)).isEqualTo("cyclictest exited with status 1 in the guest");
        assertThat(r.warnings().get(2)).startsWith("cyclictest ran 31.5 s in the guest for a 1 s duration");
    }

    @Test
    void onlyTheEndOfALongConsoleIsKept() throws Exception {
        String console = "x".repeat(5000) + "\r\nthe end\r\n";
        GuestRun run = new GuestRun("g", SPEC, "k", Map.of(), Map.of(), List.of());
        MeasurementResult r = run.result(GuestOutput.parse("g", fixture("/xen/pvh-console.txt"), MS, S), console, 0, 0);
        String kept = r.settings().get("guest.console");
        assertThat(kept).hasSize(GuestRun.CONSOLE_CHARS).endsWith("x\nthe end\n");
    }
}
