package org.vmlat.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.vmlat.bench.baseline.BaselineEdfAnalysis;
import org.vmlat.bench.baseline.BaselineFixedPriorityAnalysis;
import org.vmlat.sched.EdfAnalysis;
import org.vmlat.sched.FixedPriorityAnalysis;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.gen.TaskSetGenerator;

/**
 * Task sets analysed per second (run with bench/sched.sh). Each invocation analyses the next of
 * 1024 pre-generated sets (8 for large n) (UUniFast-Discard at U = 0.8, periods log-uniform
 * 1 ms..1 s, implicit deadlines, deadline-monotonic), so the figure is an average over realistic
 * sets, not one set. Every analysis has a twin named {@code ...Baseline} running the previous
 * implementation (kept in {@code org.vmlat.bench.baseline}) on the same sets in the same run;
 * bench/sched.sh prints the ratio of each pair.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SchedBench {
    @Param({"10", "50"})
    int n;

    @Param({"0.8"})
    double utilisation;

    TaskSet[] sets;
    int next;

    @Setup
    public void generate() {
        TaskSetGenerator g = new TaskSetGenerator(n, 1_000_000, 1_000_000_000, TaskSetGenerator.Deadlines.IMPLICIT);
        SplittableRandom rnd = new SplittableRandom(42);
        sets = new TaskSet[n >= 1000 ? 8 : 1024];
        for (int i = 0; i < sets.length; i++) sets[i] = g.generate(utilisation, rnd);
    }

    private TaskSet nextSet() {
        TaskSet s = sets[next];
        next = next + 1 == sets.length ? 0 : next + 1;
        return s;
    }

    @Benchmark
    public boolean fixedPriorityRta() {
        return FixedPriorityAnalysis.analyze(nextSet(), 50_000, LatencyModel.JITTER).schedulable();
    }

    @Benchmark
    public boolean fixedPriorityRtaBaseline() {
        return BaselineFixedPriorityAnalysis.analyze(nextSet(), 50_000, LatencyModel.JITTER).schedulable();
    }

    /** The same analysis, answering only yes/no (what sweeps and sensitivity searches use). */
    @Benchmark
    public boolean fixedPriorityRtaVerdictOnly() {
        return FixedPriorityAnalysis.schedulable(nextSet(), 50_000, LatencyModel.JITTER);
    }

    @Benchmark
    public boolean fixedPriorityRtaVerdictOnlyBaseline() {
        return BaselineFixedPriorityAnalysis.schedulable(nextSet(), 50_000, LatencyModel.JITTER);
    }

    @Benchmark
    public boolean edfQpa() {
        return EdfAnalysis.analyze(nextSet(), 50_000, LatencyModel.JITTER).schedulable();
    }

    @Benchmark
    public boolean edfQpaBaseline() {
        return BaselineEdfAnalysis.analyze(nextSet(), 50_000, LatencyModel.JITTER).schedulable();
    }

    /** EDF answering only yes/no (sweeps); its reference is the only entry point the baseline had. */
    @Benchmark
    public boolean edfQpaVerdictOnly() {
        return EdfAnalysis.schedulable(nextSet(), 50_000, LatencyModel.JITTER);
    }

    @Benchmark
    public boolean edfQpaVerdictOnlyBaseline() {
        return BaselineEdfAnalysis.analyze(nextSet(), 50_000, LatencyModel.JITTER).schedulable();
    }
}
