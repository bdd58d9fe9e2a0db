package org.vmlat.probe.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.os.SchedPolicy;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.ThreadStatus;

/** Runs the real probe for a second or two at SCHED_FIFO (CI runs as root). */
class BuiltinProbeTest {

    static ProbeSpec spec(int threads, long durationNs, long breaktraceNs) {
        return new ProbeSpec(SchedPolicy.FIFO, 90, 1_000_000, 0, threads, List.of(0), durationNs, 0, true,
                breaktraceNs, false, 5, 50_000_000, 10_000_000);
    }

    @Test
    void oneSecondAtFifoHoldsTheInvariants() throws Exception {
        List<Integer> policies = new ArrayList<>();
        ProbeListener listener = new ProbeListener() {
            @Override
            public void status(List<ThreadStatus> threads) {
                for (ThreadStatus t : threads) {
                    if (policies.isEmpty() && t.tid() > 0) policies.add(policyOf(t.tid()));
                }
            }
        };
        MeasurementResult r = new BuiltinProbe().run(spec(2, 1_500_000_000L, 0), listener, new RunControl());
        assertThat(r.realtime()).isTrue();
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.settings()).containsEntry("policy", "fifo").containsEntry("priority", "90")
                .containsEntry("probe.loop_allocated_bytes", "0");
        assertThat(policies).containsExactly(1); // SCHED_FIFO as seen by the kernel in /proc
        for (ThreadResult t : r.threads()) {
            assertThat(t.count() + t.overruns()).isBetween(1490L, 1501L);
            assertThat(t.minNs()).isGreaterThanOrEqualTo(0);
            assertThat(t.percentileNs(50)).isBetween(t.minNs(), t.maxNs());
            assertThat(t.percentileNs(99)).isBetween(t.percentileNs(50), t.maxNs());
            assertThat(t.histogram().getTotalCount() + t.histogramOverflows()).isEqualTo(t.count());
            assertThat(t.meanNs()).isBetween((double) t.minNs(), (double) t.maxNs());
            assertThat(t.spikes()).hasSize(5);
            assertThat(t.spikes().get(0).latencyNs()).isEqualTo(t.maxNs());
            assertThat(t.cpu()).isZero();
        }
    }

    @Test
    void breaktraceStopsTheRunAndSaysWhere() {
        MeasurementResult r = new BuiltinProbe().run(spec(1, 5_000_000_000L, 1), ProbeListener.NONE, new RunControl());
        assertThat(r.stopReason()).isEqualTo(StopReason.BREAKTRACE);
        assertThat(r.breaktrace()).hasValueSatisfying(b -> {
            assertThat(b.latencyNs()).isGreaterThan(1);
            assertThat(b.thread()).isZero();
            assertThat(b.cycle()).isZero();
        });
        assertThat(r.threads().get(0).count()).isEqualTo(1);
    }

    @Test
    void stopRequestEndsEarlyAndKeepsTheSamples() throws Exception {
        RunControl control = new RunControl();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(600);
            } catch (InterruptedException e) {
                return;
            }
            control.requestStop(StopReason.INTERRUPTED);
        });
        stopper.start();
        long t0 = System.nanoTime();
        MeasurementResult r = new BuiltinProbe().run(spec(1, 60_000_000_000L, 0), ProbeListener.NONE, control);
        assertThat(System.nanoTime() - t0).isLessThan(10_000_000_000L);
        assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
        assertThat(r.threads().get(0).count()).isBetween(100L, 1500L);
        assertThat(r.threads().get(0).histogram().getTotalCount()).isEqualTo(r.threads().get(0).count());
    }

    static ProbeSpec withSetup(int threads, int priority, ProbeSpec.Setup setup) {
        return new ProbeSpec(SchedPolicy.FIFO, priority, 1_000_000, 0, threads, List.of(0), 600_000_000L, 0, true, 0, false, 5,
                20_000_000, 10_000_000, setup);
    }

    /** --priospread as the kernel sees it: thread N's rt_priority in /proc is -p minus N. */
    @Test
    void prioritySpreadIsWhatTheKernelHolds() {
        ProbeSpec.Setup spread = new ProbeSpec.Setup(true, -1, ProbeSpec.Clock.MONOTONIC, 0, -2, List.of(), false, false);
        List<String> seen = new ArrayList<>();
        ProbeListener listener = new ProbeListener() {
            @Override
            public void status(List<ThreadStatus> threads) {
                if (!seen.isEmpty()) return;
                for (ThreadStatus t : threads) seen.add(t.thread() + ":" + field(t.tid(), 40) + ":" + t.priority());
                if (seen.stream().anyMatch(x -> x.contains(":-1:"))) seen.clear(); // a thread not yet (or no longer) in /proc
            }
        };
        ProbeSpec spec = withSetup(3, 80, spread);
        spec = new ProbeSpec(spec.policy(), 80, spec.intervalNs(), 0, 3, spec.cpus(), 2_500_000_000L, 0, true, 0, false, 5,
                spec.warmupNs(), spec.histogramMaxNs(), spread);
        MeasurementResult r = new BuiltinProbe().run(spec, listener, new RunControl());
        assertThat(seen).containsExactly("0:80:80", "1:79:79", "2:78:78");
        assertThat(r.settings()).containsEntry("priorities", "80,79,78");
    }

    /** -A: thread N's deadlines are N offsets after thread 0's, on the same grid of periods. */
    @Test
    void alignedThreadsWakeAtTheirOffsets() {
        ProbeSpec.Setup aligned = new ProbeSpec.Setup(false, 300_000, ProbeSpec.Clock.MONOTONIC, 0, -2, List.of(), false, false);
        MeasurementResult r = new BuiltinProbe().run(withSetup(3, 90, aligned), ProbeListener.NONE, new RunControl());
        long base = r.threads().get(0).spikes().get(0).expectedNs();
        int checked = 0;
        for (ThreadResult t : r.threads()) {
            for (org.vmlat.latency.Spike sp : t.spikes()) {
                assertThat(Math.floorMod(sp.expectedNs() - base, 1_000_000L)).as("thread %d", t.thread()).isEqualTo(t.thread() * 300_000L);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(15);
        assertThat(r.settings()).containsEntry("aligned_offset_ns", "300000");
        System.out.println("deadlines checked against their offsets: " + checked);
    }

    /** -c 1: the deadlines are on CLOCK_REALTIME, whose readings are the epoch's. */
    @Test
    void theRealtimeClockMeasuresOnEpochTime() {
        ProbeSpec.Setup realtime = new ProbeSpec.Setup(false, -1, ProbeSpec.Clock.REALTIME, 0, -2, List.of(), false, false);
        long before = System.currentTimeMillis();
        MeasurementResult r = new BuiltinProbe().run(withSetup(1, 90, realtime), ProbeListener.NONE, new RunControl());
        assertThat(r.settings()).containsEntry("clock", "CLOCK_REALTIME").containsEntry("probe.loop_allocated_bytes", "0");
        long expectedMs = r.threads().get(0).spikes().get(0).expectedNs() / 1_000_000;
        assertThat(expectedMs).isBetween(before, System.currentTimeMillis());
        assertThat(r.threads().get(0).count() + r.threads().get(0).overruns()).isBetween(500L, 601L);
    }

    static long field(int tid, int number) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[number - 3]);
        } catch (Exception e) {
            return -1;
        }
    }

    static int policyOf(int tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[41 - 3]); // field 41 (policy), counting from field 3 after "comm"
        } catch (Exception e) {
            return -1;
        }
    }
}
