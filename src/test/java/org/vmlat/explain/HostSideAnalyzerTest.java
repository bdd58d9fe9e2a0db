package org.vmlat.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

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
        assertThat(c.get(0).state()).isEqualTo(HostCause.State.PREEMPTED);
        assertThat(c.get(0).durationNs()).isEqualTo(781_000);
        assertThat(c.get(0).by()).isEqualTo("hackbench (pid 4711)");
        assertThat(c.get(0).describe()).isEqualTo("vCPU thread CPU 0/TCG not running for 781.0us: preempted by hackbench (pid 4711)");
        assertThat(c.get(0).intervals()).containsExactly(new HostCause.Interval(100_000_100_000L, 100_000_881_000L, "hackbench (pid 4711)"));
        // only the part inside the window counts; the interval is kept whole, from its switch-out
        HostCause cut = HostSideAnalyzer.explain(events, QEMU, 100_000_500_000L, 100_002_000_000L).get(0);
        assertThat(cut.durationNs()).isEqualTo(381_000);
        assertThat(cut.intervals()).containsExactly(new HostCause.Interval(100_000_100_000L, 100_000_881_000L, "hackbench (pid 4711)"));
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
        assertThat(c).extracting(HostCause::state).containsExactly(HostCause.State.STOPPED, HostCause.State.WAITING);
        assertThat(c.get(0).durationNs()).isEqualTo(20_000_000);
        assertThat(c.get(0).by()).isEmpty();
        assertThat(c.get(1).by()).as("woken onto an idle CPU: no task held it").isEmpty();
        assertThat(c.get(1).durationNs()).isEqualTo(50_000);
        assertThat(c.get(0).describe()).isEqualTo("vCPU thread CPU 0/TCG not running for 20000.0us: stopped");
        assertThat(c.get(0).intervals()).containsExactly(new HostCause.Interval(10_000_000_000L, 10_020_000_000L, ""));
        assertThat(c.get(1).intervals()).containsExactly(new HostCause.Interval(10_020_000_000L, 10_020_050_000L, ""));
    }

    @Test
    void aThreadPreemptedTwiceByTwoTasksKeepsEachIntervalWithItsCulprit() {
        List<TraceEvent> events = List.of(
                line("       CPU 0/TCG-500     [001] d..2.   20.000100: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=R+ ==> next_comm=hackbench next_pid=4711 next_prio=120"),
                line("       hackbench-4711    [001] d..2.   20.000300: sched_switch: prev_comm=hackbench prev_pid=4711 prev_prio=120 "
                        + "prev_state=S ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"),
                line("       CPU 0/TCG-500     [001] d..2.   20.000500: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=R+ ==> next_comm=kworker/1:1 next_pid=88 next_prio=120"),
                line("     kworker/1:1-88      [001] d..2.   20.000900: sched_switch: prev_comm=kworker/1:1 prev_pid=88 prev_prio=120 "
                        + "prev_state=S ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"));
        List<HostCause> c = HostSideAnalyzer.explain(events, QEMU, 20_000_000_000L, 20_001_000_000L);
        assertThat(c).hasSize(1);
        assertThat(c.get(0).durationNs()).isEqualTo(600_000);
        assertThat(c.get(0).by()).isEqualTo("hackbench (pid 4711)");
        assertThat(c.get(0).intervals()).containsExactly(new HostCause.Interval(20_000_100_000L, 20_000_300_000L, "hackbench (pid 4711)"),
                new HostCause.Interval(20_000_500_000L, 20_000_900_000L, "kworker/1:1 (pid 88)"));
    }

    /**
     * A halted vCPU (sleeping) kicked by QEMU's main loop onto CPU 1, where hackbench runs: it waits 3.210 ms and takes
     * the CPU from hackbench 4712 (the switches on CPU 1 before are not traced: the kernel's filter keeps QEMU's threads'
     * switches only). Then it is preempted by hackbench 4711 for 781 us and by java 3656 for 200 us.
     */
    @Test
    void aWaitNamesTheTaskTheThreadTookItsCpuFrom() {
        List<TraceEvent> events = List.of(
                line("       CPU 0/TCG-500     [001] d..2.   20.000000: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=S ==> next_comm=hackbench next_pid=4711 next_prio=120"),
                line(" qemu-system-x86-490     [000] d..2.   20.001000: sched_wakeup: comm=CPU 0/TCG pid=500 prio=120 target_cpu=001"),
                line("       hackbench-4712    [001] d..2.   20.004210: sched_switch: prev_comm=hackbench prev_pid=4712 prev_prio=120 "
                        + "prev_state=R+ ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"),
                line("       CPU 0/TCG-500     [001] d..2.   20.004500: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=R+ ==> next_comm=hackbench next_pid=4711 next_prio=120"),
                line("       hackbench-4711    [001] d..2.   20.005281: sched_switch: prev_comm=hackbench prev_pid=4711 prev_prio=120 "
                        + "prev_state=S ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"),
                line("       CPU 0/TCG-500     [001] d..2.   20.005300: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=R ==> next_comm=java next_pid=3656 next_prio=120"),
                line("            java-3656    [001] d..2.   20.005500: sched_switch: prev_comm=java prev_pid=3656 prev_prio=120 "
                        + "prev_state=S ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"));
        List<HostCause> c = HostSideAnalyzer.explain(events, QEMU, 19_000_000_000L, 21_000_000_000L);
        assertThat(c).extracting(HostCause::state, HostCause::durationNs, HostCause::by).containsExactly(
                tuple(HostCause.State.WAITING, 3_210_000L, "hackbench (pid 4712)"), tuple(HostCause.State.PREEMPTED, 981_000L, "hackbench (pid 4711)"));
        assertThat(c.get(0).intervals()).containsExactly(new HostCause.Interval(20_001_000_000L, 20_004_210_000L, "hackbench (pid 4712)"));
        assertThat(c.get(1).intervals()).extracting(HostCause.Interval::by).containsExactly("hackbench (pid 4711)", "java (pid 3656)");
        assertThat(c.get(0).describe()).isEqualTo("vCPU thread CPU 0/TCG not running for 3210.0us: waiting for a CPU held by hackbench (pid 4712)");
    }

    /**
     * QEMU's main loop waits 2 ms for a CPU (10.000-10.002); the vCPU thread, preempted at 10.001, waits to 10.004:
     * 5.0 ms in the two causes, 4 ms with at least one of them off, 3.5 ms of it inside a window from 10.0005.
     */
    @Test
    void twoThreadsOffAtOnceCountOnceInTheTimeQemuWasHeldOff() {
        List<TraceEvent> events = List.of(
                line(" qemu-system-x86-490     [000] d..2.    9.000000: sched_switch: prev_comm=qemu-system-x86 prev_pid=490 prev_prio=120 "
                        + "prev_state=S ==> next_comm=java next_pid=3656 next_prio=120"),
                line("            bash-77      [000] d..2.   10.000000: sched_wakeup: comm=qemu-system-x86 pid=490 prio=120 target_cpu=000"),
                line("       CPU 0/TCG-500     [001] d..2.   10.001000: sched_switch: prev_comm=CPU 0/TCG prev_pid=500 prev_prio=120 "
                        + "prev_state=R+ ==> next_comm=hackbench next_pid=4711 next_prio=120"),
                line("            java-3656    [000] d..2.   10.002000: sched_switch: prev_comm=java prev_pid=3656 prev_prio=120 "
                        + "prev_state=R+ ==> next_comm=qemu-system-x86 next_pid=490 next_prio=120"),
                line("       hackbench-4711    [001] d..2.   10.004000: sched_switch: prev_comm=hackbench prev_pid=4711 prev_prio=120 "
                        + "prev_state=S ==> next_comm=CPU 0/TCG next_pid=500 next_prio=120"));
        HostSideAnalyzer.Timeline t = HostSideAnalyzer.timeline(events, QEMU);
        CrossBoundary whole = new CrossBoundary(122, 1_000, 9_000_000_000L, 11_000_000_000L, t.causesIn(9_000_000_000L, 11_000_000_000L));
        assertThat(whole.causes()).extracting(HostCause::durationNs).containsExactly(3_000_000L, 2_000_000L);
        assertThat(whole.causes().get(1).by()).isEqualTo("java (pid 3656)");
        assertThat(whole.heldOffNs()).hasValue(4_000_000);
        assertThat(new CrossBoundary(122, 1_000, 10_000_500_000L, 11_000_000_000L, t.causesIn(10_000_500_000L, 11_000_000_000L)).heldOffNs())
                .hasValue(3_500_000);
        assertThat(new CrossBoundary(122, 1_000, 10_005_000_000L, 11_000_000_000L, t.causesIn(10_005_000_000L, 11_000_000_000L)).heldOffNs())
                .hasValue(0);
        // stored before the intervals were: not known
        assertThat(new CrossBoundary(122, 1_000, 0, 10, List.of(new HostCause("CPU 0/TCG", 500, HostCause.State.PREEMPTED, 5, ""))).heldOffNs()).isEmpty();
    }

    @Test
    void aHostSideWhoseIntervalsDoNotCoverItsDurationIsRejected() {
        HostCause wrong = new HostCause("CPU 0/TCG", 500, HostCause.State.PREEMPTED, 500, "", List.of(new HostCause.Interval(100, 400, "")));
        assertThatThrownBy(() -> new CrossBoundary(122, 0, 0, 1000, List.of(wrong))).hasMessageContaining("cover 300 ns of the window, not durationNs 500");
        // whole intervals reach beyond the window; only their overlap counts
        HostCause whole = new HostCause("CPU 0/TCG", 500, HostCause.State.PREEMPTED, 300, "", List.of(new HostCause.Interval(-200, 300, "")));
        assertThat(new CrossBoundary(122, 0, 0, 1000, List.of(whole)).causes()).containsExactly(whole);
    }

    @Test
    void theHostSideTravelsAsJsonAndPrintsUnderItsSpikeOneThreadAtATimeVcpuFirst() {
        // guest clock = host clock - 5 s; the spike is due at guest 14.381238368 s = host 19.381238368 s
        long offset = -5_000_000_000L, due = 14_381_238_368L, dueHost = due - offset;
        HostCause preempted = new HostCause("CPU 0/TCG", 500, HostCause.State.PREEMPTED, 781_000, "hackbench (pid 4711)",
                List.of(new HostCause.Interval(dueHost + 100_000, dueHost + 881_000, "hackbench (pid 4711)")));
        HostCause waiting = new HostCause("CPU 0/TCG", 500, HostCause.State.WAITING, 19_000, "",
                List.of(new HostCause.Interval(dueHost + 881_000, dueHost + 900_000, "")));
        // the main loop waited longer, from before the wake-up was due: still the second lane
        HostCause main = new HostCause("qemu-system-x86", 490, HostCause.State.STOPPED, 900_000, "",
                List.of(new HostCause.Interval(dueHost - 2_000_000, dueHost + 1_500_000, "")));
        String json = CrossBoundaryJson.write(new ClockAlignment(offset, 12_000, 20, 0),
                List.of(new CrossBoundary(122, due, dueHost, dueHost + 900_000, List.of(main, preempted, waiting))));
        CrossBoundaryJson.Document d = CrossBoundaryJson.read(json);
        assertThat(json).contains("\"state\":\"waiting for a CPU\"").contains("\"intervals\":[{\"fromHostNs\":");
        assertThat(d.alignment().errorNs()).isEqualTo(12_000);
        assertThat(d.spikes().get(0).causes()).containsExactly(main, preempted, waiting);
        assertThat(d.spikes().get(0).threads()).extracting(HostThread::thread).containsExactly("CPU 0/TCG", "qemu-system-x86");
        SpikeExplanation spike = new SpikeExplanation(0, 122, 0, due, 1000, false, due + 800,
                due + 900, due + 1000, 800, 200, 0, 0,
                List.of(new Cause(Part.TIMER_LATE, Cause.Kind.LATE_TIMER, "timer interrupt late", 0, 120, 800),
                        new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, "probe's timer interrupt", -1, -1, 200)), "");
        assertThat(ExplanationText.hostSide(spike, d)).isEqualTo("""
                      host: QEMU threads placed +-12.0us by the clock alignment, times since the intended wake-up
                        vCPU thread CPU 0/TCG (tid 500): not running for 800.0us
                          +100.0us to +881.0us  preempted by hackbench (pid 4711)
                          +881.0us to +900.0us  waiting for a CPU
                        QEMU thread qemu-system-x86 (tid 490): not running for 900.0us
                          -2000.0us to +1500.0us  stopped
                """);
        SpikeExplanation other = new SpikeExplanation(0, 123, 0, due, 0, false, due, due, due, 0, 0, 0, 0, List.of(), "");
        assertThat(ExplanationText.hostSide(other, d)).isEmpty();
    }

    /**
     * A host side as vmlat stored it before it kept the intervals (a 6 s TCG guest scenario under hackbench on this
     * machine, three of its 193 spikes): it reads, with durations only, and prints them per thread.
     */
    @Test
    void aHostSideStoredWithDurationsOnlyStillReadsAndPrints() throws Exception {
        String json = resource("explain-host-v1-durations.json");
        assertThat(json).doesNotContain("intervals");
        CrossBoundaryJson.Document d = CrossBoundaryJson.read(json);
        assertThat(d.alignment()).isEqualTo(new ClockAlignment(-22_653_856_137_754L, 1_050_899, 22, 0));
        assertThat(d.spikes()).hasSize(3);
        CrossBoundary cb = d.spike(134, 14_343_815_971L).orElseThrow();
        assertThat(cb.causes()).extracting(HostCause::state).containsExactly(HostCause.State.WAITING, HostCause.State.WAITING, HostCause.State.PREEMPTED);
        assertThat(cb.causes()).allSatisfy(c -> assertThat(c.intervals()).isEmpty());
        List<HostThread> lanes = cb.threads();
        assertThat(lanes).extracting(HostThread::thread).containsExactly("CPU 0/TCG", "qemu-system-x86");
        assertThat(lanes).allSatisfy(t -> assertThat(t.timed()).isFalse());
        assertThat(lanes.get(0).notRunningNs()).isEqualTo(19_301_000 + 277_000);
        SpikeExplanation spike = ExplanationJson.read(resource("explain-guest-tcg.json")).stream().filter(e -> e.expiresNs() == 14_343_815_971L)
                .findFirst().orElseThrow();
        String text = ExplanationText.hostSide(spike, d);
        System.out.print(text);
        assertThat(text).isEqualTo("""
                      host: QEMU threads placed +-1050.9us by the clock alignment
                        vCPU thread CPU 0/TCG (tid 25240): not running for 19578.0us (stored without its times)
                          19301.0us  waiting for a CPU
                          277.0us  preempted by java (pid 25503)
                        QEMU thread qemu-system-x86 (tid 25237): not running for 60121.0us (stored without its times)
                          60121.0us  waiting for a CPU
                """);
        // written back, it is the same document, now with empty interval lists
        assertThat(CrossBoundaryJson.read(CrossBoundaryJson.write(d.alignment(), d.spikes()))).isEqualTo(d);
    }

    @Test
    void aStateWithoutMeaningIsAnErrorNamingIt() {
        String json = "{\"format\":\"vmlat-explain-host/1\",\"alignment\":{\"offsetNs\":0,\"errorNs\":1,\"samples\":1,\"spreadNs\":0},"
                + "\"spikes\":[{\"tid\":1,\"expiresNs\":0,\"fromHostNs\":0,\"toHostNs\":1,\"causes\":[{\"thread\":\"CPU 0/TCG\",\"tid\":2,"
                + "\"state\":\"asleep\",\"durationNs\":1,\"by\":\"\"}]}]}";
        assertThatThrownBy(() -> CrossBoundaryJson.read(json)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("asleep");
    }

    static String resource(String name) throws java.io.IOException {
        try (var in = HostSideAnalyzerTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
