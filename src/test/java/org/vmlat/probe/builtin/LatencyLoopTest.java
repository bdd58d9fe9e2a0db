package org.vmlat.probe.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.os.MonotonicClock;
import org.vmlat.os.Sleeper;
import org.vmlat.probe.RunControl;

class LatencyLoopTest {
    /** Wakes each sleep at deadline + the next scripted latency. */
    static final class Script implements MonotonicClock, Sleeper {
        final long[] latencies;
        int i;
        long now;

        Script(long... latencies) {
            this.latencies = latencies;
        }

        public int sleepUntil(long deadline) {
            now = deadline + latencies[i++ % latencies.length];
            return 0;
        }

        public long nanoTime() {
            return now;
        }
    }

    @Test
    void recordsWakeUpMinusDeadline() {
        Script s = new Script(5_000, 12_000, 7_000);
        LatencyLoop loop = new LatencyLoop(s, s, 1_000_000, 0, 2, new RunControl());
        long next = loop.measure(10_000_000, Long.MAX_VALUE, 3);
        Histogram h = loop.recorder.getIntervalHistogram();
        assertThat(h.getTotalCount()).isEqualTo(3);
        assertThat(loop.count.get()).isEqualTo(3);
        assertThat(loop.min.get()).isEqualTo(5_000);
        assertThat(loop.max.get()).isEqualTo(12_000);
        assertThat(loop.sum.get()).isEqualTo(24_000);
        assertThat(loop.overruns.get()).isZero();
        assertThat(next).isEqualTo(13_000_000);
        assertThat(loop.spikes.toList()).extracting(sp -> sp.latencyNs()).containsExactlyInAnyOrder(12_000L, 7_000L);
        assertThat(loop.spikes.toList()).anySatisfy(sp -> {
            assertThat(sp.latencyNs()).isEqualTo(12_000);
            assertThat(sp.cycle()).isEqualTo(1);
            assertThat(sp.expectedNs()).isEqualTo(11_000_000);
        });
    }

    @Test
    void lateWakeUpSkipsMissedPeriodsAndCountsThemAsOverruns() {
        // 2.5 periods late: deadlines +1 and +2 have passed, so the loop resumes at +3
        Script s = new Script(2_500_000, 1_000);
        LatencyLoop loop = new LatencyLoop(s, s, 1_000_000, 0, 1, new RunControl());
        long next = loop.measure(0, Long.MAX_VALUE, 2);
        assertThat(loop.overruns.get()).isEqualTo(2);
        assertThat(loop.count.get()).isEqualTo(2);
        assertThat(next).isEqualTo(4_000_000);
    }

    @Test
    void breaktraceStopsAtTheFirstLatencyAboveTheThreshold() {
        Script s = new Script(1_000, 2_000, 90_000, 1_000);
        LatencyLoop loop = new LatencyLoop(s, s, 1_000_000, 50_000, 1, new RunControl());
        loop.measure(0, Long.MAX_VALUE, 100);
        assertThat(loop.count.get()).isEqualTo(3);
        assertThat(loop.breakCycle).isEqualTo(2);
        assertThat(loop.breakLatencyNs).isEqualTo(90_000);
        assertThat(loop.breakExpectedNs).isEqualTo(2_000_000);
    }

    @Test
    void stopsAtTheEndTimeAndOnRequest() {
        Script s = new Script(0);
        LatencyLoop loop = new LatencyLoop(s, s, 1_000, 0, 1, new RunControl());
        loop.measure(0, 10_000, Long.MAX_VALUE);
        assertThat(loop.count.get()).isEqualTo(10);
        RunControl stop = new RunControl();
        stop.requestStop(org.vmlat.latency.StopReason.INTERRUPTED);
        LatencyLoop stopped = new LatencyLoop(s, s, 1_000, 0, 1, stop);
        stopped.measure(0, Long.MAX_VALUE, 100);
        assertThat(stopped.count.get()).isZero();
    }

    @Test
    void theLoopAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SyntheticTimeline warm = new SyntheticTimeline(1_000_000);
        LatencyLoop warmLoop = new LatencyLoop(warm, warm, 1_000_000, 0, 10, new RunControl());
        for (int i = 0; i < 2_000; i++) warmLoop.measure(i * 1_000_000_000L, Long.MAX_VALUE, 100);
        SyntheticTimeline t = new SyntheticTimeline(1_000_000);
        LatencyLoop loop = new LatencyLoop(t, t, 1_000_000, 0, 10, new RunControl());
        long before = mx.getCurrentThreadAllocatedBytes();
        loop.measure(0, Long.MAX_VALUE, 1_000_000);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertThat(loop.count.get()).isEqualTo(1_000_000);
        assertThat(loop.outOfRange).isPositive(); // the synthetic timeline exercised the rare branches
        assertThat(loop.overruns.get()).isPositive();
        assertThat(allocated).as("bytes allocated by 1e6 activations").isZero();
    }
}
