package org.vmlat.sched.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

class AcceptanceSweepTest {
    @Test
    void uunifastUtilisationsSumToTheTargetAndStayBelowOne() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            double[] u = TaskSetGenerator.uunifastDiscard(5, 0.9, rnd);
            double sum = 0;
            for (double x : u) {
                assertThat(x).isBetween(0.0, 1.0);
                sum += x;
            }
            assertThat(sum).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void generatedSetsHaveTheRequestedShape() {
        TaskSetGenerator g = new TaskSetGenerator(8, 1_000_000, 100_000_000, TaskSetGenerator.Deadlines.CONSTRAINED);
        TaskSet ts = g.generate(0.7, new SplittableRandom(3));
        assertThat(ts.size()).isEqualTo(8);
        assertThat(ts.utilisation()).isCloseTo(0.7, org.assertj.core.data.Offset.offset(0.01));
        for (Task t : ts.tasks()) {
            assertThat(t.periodNs()).isBetween(1_000_000L, 100_000_000L);
            assertThat(t.deadlineNs()).isBetween(t.wcetNs(), t.periodNs());
        }
        for (int i = 1; i < ts.size(); i++) assertThat(ts.get(i).deadlineNs()).isGreaterThanOrEqualTo(ts.get(i - 1).deadlineNs());
    }

    @Test
    void reproducibleFromTheSeedAndMonotone() {
        TaskSetGenerator g = new TaskSetGenerator(10, 1_000_000, 1_000_000_000, TaskSetGenerator.Deadlines.IMPLICIT);
        double[] us = {0.5, 0.8, 0.95};
        long[] ls = {0, 200_000, 500_000, 2_000_000};
        List<AcceptanceSweep.Point> a = AcceptanceSweep.run(g, us, ls, 200, Scheduler.FP, LatencyModel.JITTER, 42);
        List<AcceptanceSweep.Point> b = AcceptanceSweep.run(g, us, ls, 200, Scheduler.FP, LatencyModel.JITTER, 42);
        assertThat(a).isEqualTo(b);
        for (int j = 0; j < us.length; j++) {
            for (int l = 1; l < ls.length; l++) {
                assertThat(a.get(j * ls.length + l).accepted()).isLessThanOrEqualTo(a.get(j * ls.length + l - 1).accepted());
            }
        }
        // no latency, U = 0.5 <= Liu-Layland's n(2^(1/n) - 1) ~ 0.718: every set passes under rate-monotonic
        assertThat(a.get(0).ratio()).isEqualTo(1.0);
        // EDF accepts at least as many sets as FP at every point
        List<AcceptanceSweep.Point> e = AcceptanceSweep.run(g, us, ls, 200, Scheduler.EDF, LatencyModel.JITTER, 42);
        for (int i = 0; i < a.size(); i++) assertThat(e.get(i).accepted()).isGreaterThanOrEqualTo(a.get(i).accepted());
    }
}
