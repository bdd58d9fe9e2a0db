package org.vmlat.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vmlat.sched.EdfAnalysis;
import org.vmlat.sched.FixedPriorityAnalysis;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.gen.TaskSetGenerator;

/**
 * The faster analyses give the very answers of the previous implementation (whole verdicts: every
 * response time, slack, reason and note) on seeded random sets: realistic generated sets at many
 * utilisations, and small integer sets with jitter, blocking and arbitrary deadlines, under every
 * latency model.
 */
class BaselineAgreementTest {
    @Test
    void generatedSetsGiveIdenticalVerdicts() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int n : new int[] {3, 10, 50}) {
            TaskSetGenerator g = new TaskSetGenerator(n, 1_000_000, 1_000_000_000, TaskSetGenerator.Deadlines.CONSTRAINED);
            for (int s = 0; s < 40; s++) {
                TaskSet set = g.generate(0.3 + 0.69 * rnd.nextDouble(), rnd);
                for (LatencyModel m : LatencyModel.values()) {
                    long l = rnd.nextLong(500_000);
                    same(set, l, m);
                }
            }
        }
    }

    @Test
    void smallIntegerSetsWithJitterBlockingAndLongDeadlinesGiveIdenticalVerdicts() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int s = 0; s < 2000; s++) {
            List<Task> tasks = new ArrayList<>();
            int n = 1 + rnd.nextInt(6);
            for (int i = 0; i < n; i++) {
                long t = 3 + rnd.nextInt(40);
                long c = 1 + rnd.nextInt((int) Math.max(1, t / 2));
                long d = c + rnd.nextInt((int) (2 * t));
                long j = rnd.nextBoolean() ? rnd.nextInt((int) (d - c + 1)) : 0;
                long b = rnd.nextInt(3) == 0 ? rnd.nextInt(6) : 0;
                tasks.add(new Task("t" + i, c, t, d, j, b, i, ""));
            }
            TaskSet set = new TaskSet(tasks);
            for (LatencyModel m : LatencyModel.values()) same(set, rnd.nextInt(8), m);
        }
    }

    private static void same(TaskSet set, long l, LatencyModel m) {
        assertThat(FixedPriorityAnalysis.analyze(set, l, m)).as("FP %s L=%d %s", set, l, m)
                .isEqualTo(BaselineFixedPriorityAnalysis.analyze(set, l, m));
        assertThat(FixedPriorityAnalysis.schedulable(set, l, m)).isEqualTo(BaselineFixedPriorityAnalysis.schedulable(set, l, m));
        assertThat(EdfAnalysis.analyze(set, l, m)).as("EDF %s L=%d %s", set, l, m)
                .isEqualTo(BaselineEdfAnalysis.analyze(set, l, m));
        assertThat(EdfAnalysis.schedulable(set, l, m)).isEqualTo(BaselineEdfAnalysis.analyze(set, l, m).schedulable());
    }
}
