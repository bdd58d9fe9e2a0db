package org.vmlat.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A set of 5000 tasks with answers known from first principles (its speed is measured in
 * SchedBench, not here): 5000 tasks of C = 2 ns and T = D = 10000 ns fill the processor exactly
 * (U = 1). Under fixed priority, task k (0-based) waits for the k jobs above it and responds at
 * 2 (k + 1); the last responds at exactly its deadline. Under EDF, h(t) = 10000 floor(t / 10000)
 * <= t: schedulable. One nanosecond of latency as jitter makes the last FP task and the EDF set
 * miss (D' = 9999, h(9999) = 10000), as does a one-nanosecond outage; as a one-nanosecond shorter
 * deadline (DEADLINE model) it makes the last FP task respond one nanosecond late.
 */
class LargeTaskSetTest {
    static TaskSet fullSet() {
        List<Task> tasks = new ArrayList<>();
        for (int k = 0; k < 5000; k++) tasks.add(new Task("t" + k, 2, 10_000, 10_000, 0, 0, k, ""));
        return new TaskSet(tasks);
    }

    @Test
    void fixedPriorityResponseTimesOfFiveThousandTasks() {
        Verdict v = FixedPriorityAnalysis.analyze(fullSet(), 0, LatencyModel.JITTER);
        assertThat(v.schedulable()).isTrue();
        for (int k = 0; k < 5000; k += 499) assertThat(v.tasks().get(k).responseTimeNs()).isEqualTo(2L * (k + 1));
        assertThat(v.tasks().get(4999).responseTimeNs()).isEqualTo(10_000);
        assertThat(v.tasks().get(4999).slackNs()).isZero();

        // D' = D - 1: the last task still responds at 10000, one nanosecond late; the others are on time
        Verdict late = FixedPriorityAnalysis.analyze(fullSet(), 1, LatencyModel.DEADLINE);
        assertThat(late.schedulable()).isFalse();
        assertThat(late.tasks().get(4998).schedulable()).isTrue();
        assertThat(late.tasks().get(4999).responseTimeNs()).isEqualTo(10_000);
        assertThat(late.tasks().get(4999).slackNs()).isEqualTo(-1);
        assertThat(FixedPriorityAnalysis.schedulable(fullSet(), 1, LatencyModel.JITTER)).isFalse();
    }

    @Test
    void edfOnFiveThousandTasks() {
        assertThat(EdfAnalysis.analyze(fullSet(), 0, LatencyModel.JITTER).schedulable()).isTrue();
        assertThat(EdfAnalysis.schedulable(fullSet(), 0, LatencyModel.JITTER)).isTrue();
        Verdict jitter = EdfAnalysis.analyze(fullSet(), 1, LatencyModel.JITTER);
        assertThat(jitter.schedulable()).isFalse();
        assertThat(jitter.bounded()).isFalse();
        assertThat(EdfAnalysis.schedulable(fullSet(), 1, LatencyModel.SUPPLY)).isFalse();
    }
}
