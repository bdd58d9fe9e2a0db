package org.vmlat.explain.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.explain.Cause;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeAnalyzer;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceLineParser;
import org.vmlat.explain.TraceWindow;

class TraceRecorderTest {
    static List<String> fixture() throws IOException {
        try (InputStream in = TraceRecorderTest.class.getResourceAsStream("/org/vmlat/explain/spike-kdamond.trace")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void theByteTimestampIsTheParsersTimestamp() throws IOException {
        for (String l : fixture()) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            long expected = TraceLineParser.parse(l).map(TraceEvent::tsNs).orElse(-1L);
            assertThat(TraceBytes.timestampNs(b, 0, b.length)).as(l).isEqualTo(expected);
        }
        byte[] noFlags = "  <idle>-0     [000]  1.5: local_timer_entry: vector=236".getBytes(StandardCharsets.US_ASCII);
        assertThat(TraceBytes.timestampNs(noFlags, 0, noFlags.length)).isEqualTo(1_500_000_000L);
    }

    @Test
    void theRingKeepsTheNewestLinesAcrossItsEnd() {
        LineRing ring = new LineRing(16, 3);
        byte[] b = "aaaaabbbbbcccccdddddeeeee".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 5; i++) ring.append(b, i * 5, 5, i);
        // 16 bytes hold three lines of five
        assertThat(ring.between(0, 10)).containsExactly("ccccc", "ddddd", "eeeee");
        ring.dropBefore(4);
        assertThat(ring.between(0, 10)).containsExactly("eeeee");
        ring.append("ffffffffffff".getBytes(StandardCharsets.US_ASCII), 0, 12, 5);
        assertThat(ring.between(0, 10)).containsExactly("ffffffffffff");
    }

    /** The fixture is the window the recorder cut on this machine; fed again line by line it is cut again. */
    @Test
    void cutsTheWindowOfALateWakeUpFromTheLinesItReads() throws IOException {
        TraceRecorder r = new TraceRecorder(new TraceRecorder.Settings("vmlat-probe-", 100_000, 20_000, 20_000, 10, 1000, 64), null);
        List<String> lines = new java.util.ArrayList<>(fixture());
        lines.add("   vmlat-probe-0-17732   [001] d..2.  3558.695000: sched_switch: prev_comm=vmlat-probe-0 prev_pid=17732 prev_prio=4 "
                + "prev_state=S ==> next_comm=java next_pid=4283 next_prio=120");
        for (String l : lines) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            r.accept(b, 0, b.length);
        }
        List<TraceWindow> w = r.windows();
        // the first switch-in (3558.693794) had no timer armed before it in view; the second is 157.89 us late
        assertThat(w).hasSize(1);
        assertThat(w.get(0).tid()).isEqualTo(17732);
        assertThat(w.get(0).expiresNs()).isEqualTo(3_558_694_769_110L);
        assertThat(w.get(0).kernelLatencyNs()).isEqualTo(157_890);
        // from 20 us before the timer was armed (3558.693798) to 20 us after the switch-in (3558.694927)
        assertThat(w.get(0).events()).first().extracting(TraceEvent::tsNs).isEqualTo(3_558_693_783_000L);
        assertThat(w.get(0).events()).last().extracting(TraceEvent::tsNs).isEqualTo(3_558_694_942_000L);
        assertThat(w.get(0).events()).hasSize(17);
    }

    private static TraceRecorder fed(List<String> lines) {
        TraceRecorder r = new TraceRecorder(new TraceRecorder.Settings("vmlat-probe-", 100_000, 20_000, 20_000, 10, 1000, 64), null);
        for (String l : lines) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            r.accept(b, 0, b.length);
        }
        return r;
    }

    /** The probe armed its timer on CPU 1 and was woken onto CPU 0, where "hog" has run since long before the window. */
    static final List<String> WOKEN_ELSEWHERE = List.of(
            "  other-300   [000] d..2.     0.500000: sched_switch: prev_comm=other prev_pid=300 prev_prio=120 prev_state=S ==> next_comm=hog next_pid=400 next_prio=120",
            "  other-301   [001] d..2.     0.999900: sched_switch: prev_comm=other prev_pid=301 prev_prio=120 prev_state=S ==> next_comm=vmlat-probe-0 next_pid=100 next_prio=4",
            "  vmlat-probe-0-100   [001] d..1.     0.999950: hrtimer_start: hrtimer=00000000000000aa function=hrtimer_wakeup expires=1000000000 softexpires=1000000000 mode=ABS was_armed=0",
            "  vmlat-probe-0-100   [001] d..2.     0.999960: sched_switch: prev_comm=vmlat-probe-0 prev_pid=100 prev_prio=4 prev_state=S ==> next_comm=swapper/1 next_pid=0 next_prio=120",
            "  <idle>-0   [001] d.h..     1.000010: local_timer_entry: vector=236",
            "  <idle>-0   [001] d.h..     1.000011: hrtimer_expire_entry: hrtimer=00000000000000aa function=hrtimer_wakeup now=1000011000",
            "  <idle>-0   [001] d.h2.     1.000012: sched_waking: comm=vmlat-probe-0 pid=100 prio=4 target_cpu=000",
            "  <idle>-0   [001] d.h3.     1.000013: sched_wakeup: comm=vmlat-probe-0 pid=100 prio=4 target_cpu=000",
            "  <idle>-0   [001] d.h..     1.000014: hrtimer_expire_exit: hrtimer=00000000000000aa",
            "  <idle>-0   [001] d.h..     1.000015: local_timer_exit: vector=236",
            "  hog-400   [000] d..2.     1.000300: sched_switch: prev_comm=hog prev_pid=400 prev_prio=120 prev_state=R+ ==> next_comm=vmlat-probe-0 next_pid=100 next_prio=4",
            "  vmlat-probe-0-100   [000] d..2.     1.000400: sched_switch: prev_comm=vmlat-probe-0 prev_pid=100 prev_prio=4 prev_state=S ==> next_comm=hog next_pid=400 next_prio=120");

    /** The window begins with the last switch on each CPU before it: who ran on CPU 0 when the probe was woken onto it. */
    @Test
    void aWindowStartsWithWhoRanOnEachCpu() {
        List<TraceWindow> w = fed(WOKEN_ELSEWHERE).windows();
        assertThat(w).hasSize(1);
        // the first two lines precede the window (20 us before the timer was armed): only each CPU's last switch is kept
        assertThat(w.get(0).events()).extracting(TraceEvent::tsNs).startsWith(500_000_000L, 999_900_000L, 999_950_000L);
        // ... to 20 us after the switch-in: all lines but the last
        assertThat(w.get(0).events()).hasSize(WOKEN_ELSEWHERE.size() - 1);
        SpikeExplanation e = SpikeAnalyzer.explain(w.get(0).events(), 0, 100, 1_000_000_000L, -1);
        // CPU 0 from the interrupt (1.000010) to the switch-in (1.000300): hog, below the probe (L2)
        assertThat(e.causes()).contains(new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.TASK, "hog", 400, 120, 290_000));
        assertThat(e.cpu()).isZero();
    }

    @Test
    void eventsLostWhileAWindowWasOpenAreCountedOnIt() {
        List<String> lines = new java.util.ArrayList<>(WOKEN_ELSEWHERE);
        lines.add(6, "CPU:1 [LOST 42 EVENTS]");
        lines.add("  hog-400   [000] d..2.     1.900000: sched_switch: prev_comm=hog prev_pid=400 prev_prio=120 prev_state=R+ ==> next_comm=other next_pid=300 next_prio=120");
        lines.add("CPU:0 [LOST 7 EVENTS]");
        TraceRecorder r = fed(lines);
        assertThat(r.windows()).hasSize(1);
        assertThat(r.windows().get(0).lostEvents()).isEqualTo(42);
        assertThat(fed(WOKEN_ELSEWHERE).windows().get(0).lostEvents()).isZero();
        byte[] lost = "CPU:1 [LOST 123 EVENTS]".getBytes(StandardCharsets.US_ASCII);
        assertThat(TraceBytes.lost(lost, 0, lost.length)).isEqualTo(123);
        assertThat(TraceBytes.timestampNs(lost, 0, lost.length)).isEqualTo(-1);
    }

    @Test
    void theCpuMaskIsHexInGroupsOf32Bits() {
        assertThat(TracefsInstance.mask(List.of(1))).isEqualTo("2");
        assertThat(TracefsInstance.mask(List.of(0, 3))).isEqualTo("9");
        assertThat(TracefsInstance.mask(List.of(32, 1))).isEqualTo("1,00000002");
    }
}
