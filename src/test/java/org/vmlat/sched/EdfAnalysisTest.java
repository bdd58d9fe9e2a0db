package org.vmlat.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EdfAnalysisTest {

    /** Liu and Layland (1973): implicit deadlines are EDF-schedulable iff U <= 1. */
    @Test
    void implicitDeadlinesIffUtilisationAtMostOne() {
        Random rnd = new Random(3);
        for (int s = 0; s < 500; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 1 + rnd.nextInt(5); i++) {
                long t = 2 + rnd.nextInt(40);
                tasks.add(Task.of("t" + i, 1 + rnd.nextInt((int) t), t));
            }
            TaskSet ts = new TaskSet(tasks);
            assertThat(EdfAnalysis.analyze(ts, 0, LatencyModel.JITTER).schedulable()).as("set %d", s).isEqualTo(ts.utilisationAtMost(1, 1));
        }
    }

    /** QPA equals a brute-force check of h(t) <= t at every t over the hyperperiod. */
    @Test
    void constrainedAndArbitraryDeadlinesAgreeWithBruteForce() {
        Random rnd = new Random(5);
        int unsched = 0, sched = 0;
        for (int s = 0; s < 2000; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 2 + rnd.nextInt(3); i++) {
                long t = 3 + rnd.nextInt(20);
                long c = 1 + rnd.nextInt((int) Math.max(1, t / 3));
                long d = c + rnd.nextInt((int) (2 * t));
                tasks.add(new Task("t" + i, c, t, d, 0, 0, 0, ""));
            }
            TaskSet ts = new TaskSet(tasks);
            if (!ts.utilisationAtMost(1, 1)) continue;
            long horizon = Simulator.lcm(tasks) * 2 + 100;
            boolean expected = Simulator.edfDemandOk(tasks, horizon);
            assertThat(EdfAnalysis.analyze(ts, 0, LatencyModel.JITTER).schedulable()).as("set %d %s", s, tasks).isEqualTo(expected);
            if (expected) sched++; else unsched++;
        }
        assertThat(sched).isGreaterThan(40);
        assertThat(unsched).isGreaterThan(50);
    }

    /** Property: with implicit deadlines, FP-schedulable implies EDF-schedulable (EDF is optimal). */
    @Test
    void fixedPrioritySchedulableImpliesEdfSchedulable() {
        Random rnd = new Random(9);
        for (int s = 0; s < 500; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 2 + rnd.nextInt(5); i++) {
                long t = 100 + rnd.nextInt(10_000);
                tasks.add(Task.of("t" + i, 1 + rnd.nextInt((int) t / 3), t));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            for (long l : new long[] {0, 50, 500}) {
                if (FixedPriorityAnalysis.analyze(ts, l, LatencyModel.JITTER).schedulable()) {
                    assertThat(EdfAnalysis.analyze(ts, l, LatencyModel.JITTER).schedulable()).isTrue();
                }
            }
        }
    }

    @Test
    void supplyDelayIsADelayedSupplyLine() {
        // one task C 2, D 4, T 10: with the supply delayed by L it fits iff 2 <= 4 - L
        TaskSet ts = new TaskSet(List.of(new Task("a", 2, 10, 4, 0, 0, 0, "")));
        assertThat(EdfAnalysis.analyze(ts, 2, LatencyModel.SUPPLY).schedulable()).isTrue();
        assertThat(EdfAnalysis.analyze(ts, 3, LatencyModel.SUPPLY).schedulable()).isFalse();
    }

    @Test
    void blockingCountsOnceForJobsDueByT() {
        // a (C 2, D 4) can be blocked 2 by a later-deadline job: 2 + 2 <= 4 fits, 3 does not
        TaskSet fits = new TaskSet(List.of(new Task("a", 2, 10, 4, 0, 2, 0, ""), new Task("b", 1, 20, 20, 0, 0, 0, "")));
        TaskSet late = new TaskSet(List.of(new Task("a", 2, 10, 4, 0, 3, 0, ""), new Task("b", 1, 20, 20, 0, 0, 0, "")));
        assertThat(EdfAnalysis.analyze(fits, 0, LatencyModel.JITTER).schedulable()).isTrue();
        assertThat(EdfAnalysis.analyze(late, 0, LatencyModel.JITTER).schedulable()).isFalse();
    }

    static TaskSet ns(long[]... ct) {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < ct.length; i++) tasks.add(Task.of("t" + i, ct[i][0], ct[i][1]));
        return new TaskSet(tasks);
    }

    /**
     * Counterexample: (C, T) = (18, 39), (12, 26) ns with a supply outage of 9 ns fails at t = 78,
     * dbf(78) = 2 * 18 + 3 * 12 = 72 > 78 - 9 = 69; the largest safe outage is 6 ns (78 - 72). A scan
     * that stops at the busy period without the outage (30) plus the outage never reaches 78.
     */
    @Test
    void supplyOutageCounterexampleInNanoseconds() {
        TaskSet ts = ns(new long[] {18, 39}, new long[] {12, 26});
        Verdict v = EdfAnalysis.analyze(ts, 9, LatencyModel.SUPPLY);
        assertThat(v.schedulable()).isFalse();
        assertThat(v.note()).isEqualTo("demand 72 ns exceeds the supply 69 ns at t = 78 ns");
        assertThat(Sensitivity.maxTolerableLatency(ts, Scheduler.EDF, LatencyModel.SUPPLY)).isEqualTo(6);
        assertThat(ExactReference.edfFirstViolation(ts.tasks(), 9)).isEqualTo(78);
        assertThat(ExactReference.edfLargestOutage(ts.tasks(), 39)).isEqualTo(6);
    }

    /** Counterexample: (4154 us, 25 ms), (12201 us, 15 ms) with a 2 ms outage fails at t = 30 ms; 1444 us is safe. */
    @Test
    void supplyOutageCounterexampleInMilliseconds() {
        TaskSet ts = ns(new long[] {4_154_000, 25_000_000}, new long[] {12_201_000, 15_000_000});
        Verdict v = EdfAnalysis.analyze(ts, 2_000_000, LatencyModel.SUPPLY);
        assertThat(v.schedulable()).isFalse();
        assertThat(v.note()).startsWith("demand ").contains(" exceeds the supply ");
        assertThat(ExactReference.edfFirstViolationNs(ts.tasks(), 2_000_000, 25_000_000 + 75_000_000)).isEqualTo(30_000_000);
        // dbf(30 ms) = 4154 + 2 * 12201 = 28556 us: 30 ms - 28556 us = 1444 us
        assertThat(Sensitivity.maxTolerableLatency(ts, Scheduler.EDF, LatencyModel.SUPPLY)).isEqualTo(1_444_000);
        assertThat(EdfAnalysis.analyze(ts, 1_444_000, LatencyModel.SUPPLY).schedulable()).isTrue();
        assertThat(EdfAnalysis.analyze(ts, 1_444_001, LatencyModel.SUPPLY).schedulable()).isFalse();
    }

    /**
     * Counterexample with blocking and no latency: (C 3, T 31, D 27, B 11), (5, 14, D 12), (1, 4) ms.
     * At t = 27 ms: dbf = 3 + 2 * 5 + 6 * 1 = 19 ms, plus the blocking 11 ms = 30 > 27. The busy period
     * without blocking is 11 ms; adding B_max gives 22 ms, before the violation.
     */
    @Test
    void blockingCounterexample() {
        long ms = 1_000_000;
        TaskSet ts = new TaskSet(List.of(new Task("a", 3 * ms, 31 * ms, 27 * ms, 0, 11 * ms, 0, ""),
                new Task("b", 5 * ms, 14 * ms, 12 * ms, 0, 0, 0, ""), Task.of("c", ms, 4 * ms)));
        Verdict v = EdfAnalysis.analyze(ts, 0, LatencyModel.JITTER);
        assertThat(v.schedulable()).isFalse();
        // QPA walks down from the horizon and names a violated deadline: 28 ms here (20 + 11 > 28)
        assertThat(v.note()).isEqualTo("demand 31000000 ns exceeds the interval 28000000 ns at t = 28000000 ns");
        assertThat(ExactReference.edfFirstViolationNs(ts.tasks(), 0, 31 * ms)).isEqualTo(27 * ms);
    }

    /**
     * Buttazzo, Hard Real-Time Computing Systems (3rd ed., 2011), section 4.6.2, Table 4.4: (C, D, T) =
     * (2, 4, 6), (2, 5, 8), (3, 7, 9) under EDF: U = 11/12, L* = sum (T_i - D_i) U_i / (1 - U) = 25,
     * H = lcm(6, 8, 9) = 72, and the processor-demand test passes at every deadline up to 25.
     */
    @Test
    void buttazzoProcessorDemandExample() {
        List<Task> tasks = List.of(new Task("t1", 2, 6, 4, 0, 0, 0, ""), new Task("t2", 2, 8, 5, 0, 0, 0, ""),
                new Task("t3", 3, 9, 7, 0, 0, 0, ""));
        assertThat(new TaskSet(tasks).utilisationAtMost(11, 12)).isTrue();
        assertThat(new TaskSet(tasks).utilisationAtMost(10, 12)).isFalse();
        assertThat(EdfAnalysis.laBound(tasks, 0)).isEqualTo(25);
        assertThat(ExactReference.lcm(tasks)).isEqualTo(72);
        assertThat(EdfAnalysis.analyze(new TaskSet(tasks), 0, LatencyModel.JITTER).schedulable()).isTrue();
        // the largest single outage it tolerates is the least slack t - dbf(t) over the deadlines
        assertThat(Sensitivity.maxTolerableLatency(new TaskSet(tasks), Scheduler.EDF, LatencyModel.SUPPLY))
                .isEqualTo(ExactReference.edfLargestOutage(tasks, 7));
    }

    /** With an outage or blocking the horizon grows: La with L + B_max added (the proof is in EdfAnalysis). */
    @Test
    void horizonIncludesTheOutageAndTheBlocking() {
        List<Task> tasks = List.of(Task.of("a", 18, 39), Task.of("b", 12, 26));
        // U = 18/39 + 12/26 = 12/13; sum (T - D) U = 0, so La = max(39, 13 * 9) = 117 with L = 9
        assertThat(EdfAnalysis.laBound(tasks, 9)).isEqualTo(117);
        assertThat(EdfAnalysis.horizon(tasks, 9)).isGreaterThanOrEqualTo(78);
    }

    /** A dedicated processor has no budgets: a late budget and one outage are the same supply, max(0, t - L). */
    @Test
    void lateBudgetEqualsSupplyOnADedicatedProcessor() {
        Random rnd = new Random(1208);
        for (int s = 0; s < 300; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = 4 + rnd.nextInt(30);
                tasks.add(Task.of("t" + i, 1 + rnd.nextInt((int) t / 3), t));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            long l = rnd.nextInt(6);
            assertThat(EdfAnalysis.analyze(ts, l, LatencyModel.LATE_BUDGET).schedulable())
                    .isEqualTo(EdfAnalysis.analyze(ts, l, LatencyModel.SUPPLY).schedulable());
            assertThat(FixedPriorityAnalysis.analyze(ts, l, LatencyModel.LATE_BUDGET).tasks())
                    .isEqualTo(FixedPriorityAnalysis.analyze(ts, l, LatencyModel.SUPPLY).tasks());
        }
    }
}
