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
}
