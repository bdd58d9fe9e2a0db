package org.vmlat.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Host lines as this machine's tracefs prints them for QEMU's threads (names with spaces included). */
class HostSideAnalyzerTest {
    private static TraceEvent line(String l) {
        return TraceLineParser.parse(l).orElseThrow();
    }

    private static final Map<Integer, String> QEMU = Map.of(500, "CPU 0/TCG", 490, "qemu-system-x86");

    @Test
    void aPreemptedVcpuThreadNamesWhoTookItsCpuForTheOverlapWithTheWindow() {
        List<TraceEvent> events = List.of(
                line("       CPU 0/TCG-500     [001] d..2.   100.000100: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=R+ ==> next_comm=hackbench next_pid=4711 next_prio=120"),
                line("       hackbench-4711    [001] d..2.   100.000881: sched_switch: prev_comm=hackbench prev_pid=4711 prev_prio=120 "
                        + "prev_state=S ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"));
        List<HostCause> c = HostSideAnalyzer.explain(events, QEMU, 100_000_000_000L, 100_001_000_000L);
        assertThat(c).hasSize(1);
        assertThat(c.get(0).thread()).isEqualTo("CPU 0/TCG");
        assertThat(c.get(0).state()).isEqualTo("preempted");
        assertThat(c.get(0).durationNs()).isEqualTo(781_000);
        assertThat(c.get(0).by()).isEqualTo("hackbench (pid 4711)");
        assertThat(c.get(0).describe()).isEqualTo("vCPU thread CPU 0/TCG not running for 781.0us: preempted by hackbench (pid 4711)");
        // only the part inside the window counts
        assertThat(HostSideAnalyzer.explain(events, QEMU, 100_000_500_000L, 100_002_000_000L).get(0).durationNs()).isEqualTo(381_000);
    }

    @Test
    void aStoppedThreadThenWaitingForItsCpuAndSleepIsNoCause() {
        List<TraceEvent> events = List.of(
                line("       CPU 0/TCG-500     [001] d..2.   10.000000: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=T ==> next_comm=swapper/1 next_pid=0 next_prio=120"),
                line("            bash-77      [000] d..2.   10.020000: sched_wakeup: comm=CPU 0/TCG pid=500 prio=120 target_cpu=001"),
                line("          <idle>-0       [001] d..2.   10.020050: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 "
                        + "prev_state=R ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"),
                line(" qemu-system-x86-490     [000] d..2.   10.000000: sched_switch: prev_comm=qemu-system-x86 prev_pid=490 prev_prio=120 "
                        + "prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120"));
        List<HostCause> c = HostSideAnalyzer.explain(events, QEMU, 9_000_000_000L, 11_000_000_000L);
        assertThat(c).extracting(HostCause::state).containsExactly("stopped", "waiting for a CPU");
        assertThat(c.get(0).durationNs()).isEqualTo(20_000_000);
        assertThat(c.get(0).by()).isEmpty();
        assertThat(c.get(1).durationNs()).isEqualTo(50_000);
        assertThat(c.get(0).describe()).isEqualTo("vCPU thread CPU 0/TCG not running for 20000.0us: stopped");
    }

    @Test
    void theHostSideTravelsAsJsonAndPrintsUnderItsSpike() {
        HostCause h = new HostCause("CPU 0/TCG", 500, "preempted", 781_000, "hackbench (pid 4711)");
        String json = CrossBoundaryJson.write(new ClockAlignment(-5_000_000_000L, 12_000, 20, 0),
                List.of(new CrossBoundary(122, 14_381_238_368L, 100, 900, List.of(h))));
        CrossBoundaryJson.Document d = CrossBoundaryJson.read(json);
        assertThat(d.alignment().errorNs()).isEqualTo(12_000);
        assertThat(d.spikes().get(0).causes()).containsExactly(h);
        SpikeExplanation spike = new SpikeExplanation(0, 122, 0, 14_381_238_368L, 1000, false, 14_381_238_368L + 800,
                14_381_238_368L + 900, 14_381_238_368L + 1000, 800, 200, 0, 0,
                List.of(new Cause(Part.TIMER_LATE, Cause.Kind.LATE_TIMER, "timer interrupt late", 0, 120, 800),
                        new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, "probe's timer interrupt", -1, -1, 200)), "");
        assertThat(ExplanationText.hostSide(spike, d))
                .isEqualTo("      host (clock +-12.0us): vCPU thread CPU 0/TCG not running for 781.0us: preempted by hackbench (pid 4711)\n");
        SpikeExplanation other = new SpikeExplanation(0, 123, 0, 14_381_238_368L, 0, false, 14_381_238_368L, 14_381_238_368L,
                14_381_238_368L, 0, 0, 0, 0, List.of(), "");
        assertThat(ExplanationText.hostSide(other, d)).isEmpty();
    }
}
