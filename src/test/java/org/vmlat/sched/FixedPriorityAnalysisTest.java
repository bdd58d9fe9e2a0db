package org.vmlat.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FixedPriorityAnalysisTest {

    static long[] responseTimes(Verdict v) {
        return v.tasks().stream().mapToLong(TaskVerdict::responseTimeNs).toArray();
    }

    /**
     * (C,T) = (1,4), (1,5), (3,9), (3,18), rate-monotonic: response times 1, 2, 7, 18
     * (the example quoted in the vmlat analysis issue; the classic RTA exercise, U = 0.95).
     */
    @Test
    void classicRateMonotonicExample() {
        TaskSet ts = new TaskSet(List.of(Task.of("a", 1, 4), Task.of("b", 1, 5), Task.of("c", 3, 9), Task.of("d", 3, 18)));
        Verdict v = FixedPriorityAnalysis.analyze(ts, 0, LatencyModel.JITTER);
        assertThat(responseTimes(v)).containsExactly(1, 2, 7, 18);
        assertThat(v.schedulable()).isTrue();
        assertThat(v.tasks().get(3).slackNs()).isZero();
    }

    /**
     * Lehoczky (RTSS 1990), arbitrary deadlines: tau1 = (C 26, T 70), tau2 = (C 62, T 100). The
     * first job of tau2 responds in 114 but the worst is a later job in the level-2 busy period,
     * 118 — an analysis that looks only at the first job is optimistic.
     */
    @Test
    void lehoczkyArbitraryDeadlineExample() {
        Task t1 = Task.of("t1", 26, 70);
        Task t2 = new Task("t2", 62, 100, 200, 0, 0, 0, "");
        Verdict v = FixedPriorityAnalysis.analyze(new TaskSet(List.of(t1, t2)), 0, LatencyModel.JITTER);
        assertThat(responseTimes(v)).containsExactly(26, 118);
        long[] sim = Simulator.fixedPriority(List.of(t1, t2), Simulator.lcm(List.of(t1, t2)) * 2);
        assertThat(sim).containsExactly(26, 118);
    }

    @Test
    void jitterAndBlockingAddUp() {
        // tau1 (C 1, T 4, J 1) interferes with tau2 (C 2, T 10, B 1): w = 1 + 2 + ceil((w + 1)/4)*1
        Task t1 = new Task("t1", 1, 4, 4, 1, 0, 1, "");
        Task t2 = new Task("t2", 2, 10, 10, 0, 1, 2, "");
        Verdict v = FixedPriorityAnalysis.analyze(new TaskSet(List.of(t1, t2)), 0, LatencyModel.JITTER);
        // R1 = C1 + J1 = 2; w2: 4 -> 1+2+ceil(5/4)=5 -> 1+2+ceil(6/4)=5 -> R2 = 5
        assertThat(responseTimes(v)).containsExactly(2, 5);
    }

    @Test
    void latencyModels() {
        TaskSet ts = new TaskSet(List.of(Task.of("a", 1, 4), Task.of("b", 1, 5), Task.of("c", 3, 9), Task.of("d", 3, 18)));
        // as jitter on every task: d's window grows, it is no longer schedulable with 1 ns of latency
        assertThat(FixedPriorityAnalysis.analyze(ts, 1, LatencyModel.JITTER).tasks().get(3).schedulable()).isFalse();
        // as supply delay (= blocking): R_a = 1 + L
        assertThat(FixedPriorityAnalysis.analyze(ts, 2, LatencyModel.SUPPLY).tasks().get(0).responseTimeNs()).isEqualTo(3);
        // as deadline reduction: a keeps R = 1 <= 4 - 2
        Verdict dl = FixedPriorityAnalysis.analyze(ts, 2, LatencyModel.DEADLINE);
        assertThat(dl.tasks().get(0).schedulable()).isTrue();
        assertThat(dl.tasks().get(0).slackNs()).isEqualTo(1);
        assertThat(FixedPriorityAnalysis.analyze(ts, 4, LatencyModel.DEADLINE).tasks().get(0).reason()).contains("shorter than the WCET");
    }

    @Test
    void overloadIsReportedNotIterated() {
        TaskSet ts = new TaskSet(List.of(Task.of("a", 3, 4), Task.of("b", 2, 5)));
        Verdict v = FixedPriorityAnalysis.analyze(ts, 0, LatencyModel.JITTER);
        assertThat(v.schedulable()).isFalse();
        assertThat(v.tasks().get(1).reason()).contains("utilisation");
    }

    @Test
    void hugeHyperperiodAtFullUtilisationIsBoundedNotHung() {
        // U = 1 exactly with co-prime periods in the billions: the busy period is astronomically long
        TaskSet ts = new TaskSet(List.of(new Task("a", 999_999_937L, 1_999_999_874L, 1_999_999_874L * 4, 0, 0, 1, ""),
                new Task("b", 999_999_929L, 1_999_999_858L, 1_999_999_858L * 4, 0, 0, 2, "")));
        long t0 = System.nanoTime();
        Verdict v = FixedPriorityAnalysis.analyze(ts, 0, LatencyModel.JITTER);
        assertThat(System.nanoTime() - t0).isLessThan(30_000_000_000L);
        assertThat(v.schedulable()).isFalse();
        assertThat(v.bounded()).isTrue();
        assertThat(v.note()).contains("stopped");
    }

    /** Property: the analysis equals a tick-by-tick simulation from the critical instant. */
    @Test
    void agreesWithSimulationOnRandomSets() {
        Random rnd = new Random(7);
        int checked = 0;
        for (int s = 0; s < 400; s++) {
            List<Task> tasks = new ArrayList<>();
            int n = 2 + rnd.nextInt(3);
            for (int i = 0; i < n; i++) {
                long t = 3 + rnd.nextInt(14);
                long c = 1 + rnd.nextInt((int) Math.max(1, t / 2));
                tasks.add(new Task("t" + i, c, t, t * 3, 0, 0, i, ""));
            }
            TaskSet ts = new TaskSet(tasks);
            if (!ts.utilisationAtMost(1, 1)) continue;
            Verdict v = FixedPriorityAnalysis.analyze(ts, 0, LatencyModel.JITTER);
            long[] sim = Simulator.fixedPriority(tasks, Simulator.lcm(tasks) * 3 + 100);
            for (int i = 0; i < n; i++) {
                if (v.tasks().get(i).schedulable()) assertThat(v.tasks().get(i).responseTimeNs()).as("set %d task %d", s, i).isEqualTo(sim[i]);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(100);
    }

    /** Property: more latency never makes a set more schedulable, under any model. */
    @Test
    void monotoneInLatency() {
        Random rnd = new Random(11);
        for (int s = 0; s < 200; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                long t = 1_000 + rnd.nextInt(20_000);
                tasks.add(new Task("t" + i, 1 + rnd.nextInt((int) t / 5), t, t, 0, 0, i, ""));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            for (LatencyModel m : LatencyModel.values()) {
                boolean before = true;
                for (long l = 0; l <= 5_000; l += 250) {
                    boolean now = FixedPriorityAnalysis.analyze(ts, l, m).schedulable();
                    assertThat(!now || before).as("model %s latency %d", m, l).isTrue();
                    before = now;
                }
            }
        }
    }

    /**
     * Lehoczky's example (RTSS 1990) with the deadline of tau2 at its period, D2 = 100: the first job
     * responds in 114 and is already late, but the worst job of the level-2 busy period responds in
     * 118. A late task reports that exact worst case and the true slack 100 - 118 = -18.
     */
    @Test
    void lateTaskReportsTheExactWorstResponseAndSlack() {
        Task t1 = Task.of("t1", 26, 70);
        Task t2 = Task.of("t2", 62, 100);
        Verdict v = FixedPriorityAnalysis.analyze(new TaskSet(List.of(t1, t2)), 0, LatencyModel.JITTER);
        assertThat(v.schedulable()).isFalse();
        assertThat(v.tasks().get(1).responseTimeNs()).isEqualTo(118);
        assertThat(v.tasks().get(1).slackNs()).isEqualTo(-18);
        assertThat(v.tasks().get(1).reason()).isEqualTo("response time 118 ns exceeds the deadline 100 ns by 18 ns");
        assertThat(ExactReference.fpResponseTime(List.of(t1, t2), 1, 0, 10_000)).isEqualTo(118);
    }

    @Test
    void overloadedLevelIsCalledUnbounded() {
        TaskSet ts = new TaskSet(List.of(Task.of("a", 3, 4), Task.of("b", 2, 5)));
        TaskVerdict b = FixedPriorityAnalysis.analyze(ts, 0, LatencyModel.JITTER).tasks().get(1);
        assertThat(b.responseTimeNs()).isEqualTo(-1);
        assertThat(b.reason()).startsWith("response time unbounded");
    }
}
