package org.vmlat.sched.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

class ServerBudgetTest {

    /**
     * A 900 us / 1 ms task on a 1 ms periodic server needs a budget of 950 us (the worst-case gap
     * 2 (Pi - Theta) must fit in D - C); 200 us of overhead per period makes 1.15 ms, more than the
     * period: refused, not clamped to 1 ms.
     */
    @Test
    void overheadBeyondTheServerDeadlineIsRefused() {
        TaskSet ts = new TaskSet(List.of(Task.of("a", 900_000, 1_000_000)));
        ServerBudget b = ServerAnalysis.budget(ts, Scheduler.EDF, 1_000_000, 1_000_000, 200_000, 0, LatencyModel.JITTER);
        assertThat(b.feasible()).isFalse();
        assertThat(b.runtimeNs()).isEqualTo(-1);
        assertThat(b.taskBudgetNs()).isEqualTo(950_000);
        assertThat(b.reason()).isEqualTo("needs 950000 ns + 200000 ns overhead = 1150000 ns every period, more than the server deadline 1000000 ns");
    }

    @Test
    void feasibleBudgetIsTheTaskBudgetPlusTheOverhead() {
        Random rnd = new Random(1206);
        for (int s = 0; s < 50; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = 1_000 + rnd.nextInt(9_000);
                tasks.add(Task.of("t" + i, 1 + rnd.nextInt((int) t / 8), t));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            for (Scheduler sch : Scheduler.values()) {
                long period = 200 + rnd.nextInt(800), overhead = rnd.nextInt(200);
                long q = ServerAnalysis.minimumBudget(ts, sch, period, period, 0, LatencyModel.JITTER);
                ServerBudget b = ServerAnalysis.budget(ts, sch, period, period, overhead, 0, LatencyModel.JITTER);
                assertThat(b.taskBudgetNs()).isEqualTo(q);
                assertThat(b.feasible()).isEqualTo(q >= 0 && q + overhead <= period);
                if (b.feasible()) assertThat(b.runtimeNs()).isEqualTo(q + overhead);
                else assertThat(b.reason()).isNotEmpty();
            }
        }
    }
}
