package org.vmlat.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The analyses against {@link ExactReference} on seeded random small integer task sets: no answer
 * may be unsafe (schedulable where the reference finds a violation, a tolerable latency above the
 * reference's, a response time below the simulated one), and all must be exact.
 */
class ExactReferenceAgreementTest {

    static List<Task> randomSet(Random rnd, boolean blocking, boolean jitter) {
        List<Task> tasks = new ArrayList<>();
        int n = 2 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            long t = 3 + rnd.nextInt(18);
            long c = 1 + rnd.nextInt((int) Math.max(1, t / 2));
            long d = c + rnd.nextInt((int) (2 * t));
            long j = jitter ? rnd.nextInt((int) (d - c + 1)) : 0;
            long b = blocking && rnd.nextInt(3) == 0 ? rnd.nextInt(6) : 0;
            tasks.add(new Task("t" + i, c, t, d, j, b, 0, ""));
        }
        return tasks;
    }

    /** EDF with a supply outage and blocking: the verdict and the largest tolerable outage are exact. */
    @Test
    void edfSupplyAndBlockingAgreeWithBruteForce() {
        Random rnd = new Random(1201);
        int sets = 0, unsched = 0, sched = 0;
        for (int s = 0; sets < 1500; s++) {
            List<Task> tasks = randomSet(rnd, true, rnd.nextBoolean());
            if (!ExactReference.utilisationAtMostOne(tasks) || ExactReference.lcm(tasks) > 3_000) continue;
            sets++;
            TaskSet ts = new TaskSet(tasks);
            long l = rnd.nextInt(6);
            boolean expected = ExactReference.edfSchedulable(tasks, l);
            assertThat(EdfAnalysis.analyze(ts, l, LatencyModel.SUPPLY).schedulable()).as("set %d %s L=%d", s, tasks, l).isEqualTo(expected);
            boolean expectedNoOutage = ExactReference.edfSchedulable(tasks, 0);
            assertThat(EdfAnalysis.analyze(ts, 0, LatencyModel.JITTER).schedulable()).as("set %d %s", s, tasks).isEqualTo(expectedNoOutage);
            long maxD = tasks.stream().mapToLong(Task::deadlineNs).max().orElseThrow();
            assertThat(Sensitivity.maxTolerableLatency(ts, Scheduler.EDF, LatencyModel.SUPPLY)).as("set %d %s", s, tasks)
                    .isEqualTo(ExactReference.edfLargestOutage(tasks, maxD));
            if (expected) sched++; else unsched++;
        }
        assertThat(sched).isGreaterThan(300);
        assertThat(unsched).isGreaterThan(300);
    }

    /** EDF with latency as jitter equals the brute force on the task set with L added to every jitter. */
    @Test
    void edfJitterModelAgreesWithBruteForce() {
        Random rnd = new Random(1202);
        int sets = 0;
        for (int s = 0; sets < 1000; s++) {
            List<Task> tasks = randomSet(rnd, false, true);
            if (!ExactReference.utilisationAtMostOne(tasks) || ExactReference.lcm(tasks) > 3_000) continue;
            sets++;
            long l = rnd.nextInt(4);
            List<Task> jittered = new ArrayList<>();
            boolean room = true;
            for (Task k : tasks) {
                jittered.add(k.withJitter(k.jitterNs() + l));
                room &= k.deadlineNs() - k.jitterNs() - l >= k.wcetNs();
            }
            boolean expected = room && ExactReference.edfSchedulable(jittered, 0);
            assertThat(EdfAnalysis.analyze(new TaskSet(tasks), l, LatencyModel.JITTER).schedulable()).as("set %d %s L=%d", s, tasks, l)
                    .isEqualTo(expected);
        }
    }

    /**
     * FP: every task's response time equals the simulated worst case of its level-i busy period,
     * late tasks included (true negative slack), and overloaded levels are called unbounded.
     */
    @Test
    void fixedPriorityResponseTimesAgreeWithSimulation() {
        Random rnd = new Random(1203);
        int sets = 0, late = 0, unbounded = 0, onTime = 0;
        for (int s = 0; sets < 1500; s++) {
            List<Task> tasks = randomSet(rnd, true, rnd.nextBoolean());
            if (ExactReference.lcm(tasks) > 3_000 || exactlyFull(tasks)) continue; // U = 1: busy periods may never end
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            LatencyModel model = rnd.nextBoolean() ? LatencyModel.SUPPLY : LatencyModel.JITTER;
            long l = rnd.nextInt(4);
            List<Task> ref = new ArrayList<>();
            for (Task k : ts.tasks()) ref.add(model == LatencyModel.JITTER ? k.withJitter(k.jitterNs() + l) : k);
            long extraBlocking = model == LatencyModel.SUPPLY ? l : 0;
            Verdict v = FixedPriorityAnalysis.analyze(ts, l, model);
            sets++;
            for (int i = 0; i < ts.size(); i++) {
                long r = ExactReference.fpResponseTime(ref, i, extraBlocking, 200_000);
                TaskVerdict tv = v.tasks().get(i);
                String as = "set " + s + " " + ts.tasks() + " " + model + " L=" + l + " task " + i;
                if (r == ExactReference.TOO_LONG) continue; // U = 1 with a never-ending busy period
                if (r == ExactReference.UNBOUNDED) {
                    assertThat(tv.schedulable()).as(as).isFalse();
                    assertThat(tv.responseTimeNs()).as(as).isEqualTo(-1);
                    assertThat(tv.reason()).as(as).contains("unbounded");
                    unbounded++;
                    continue;
                }
                assertThat(tv.responseTimeNs()).as(as).isEqualTo(r);
                assertThat(tv.slackNs()).as(as).isEqualTo(ts.get(i).deadlineNs() - r);
                assertThat(tv.schedulable()).as(as).isEqualTo(r <= ts.get(i).deadlineNs());
                if (r > ts.get(i).deadlineNs()) late++; else onTime++;
            }
            assertThat(FixedPriorityAnalysis.schedulable(ts, l, model)).as("set %d", s).isEqualTo(v.schedulable());
        }
        assertThat(late).isGreaterThan(300);
        assertThat(onTime).isGreaterThan(300);
        assertThat(unbounded).isGreaterThan(50);
    }

    static boolean exactlyFull(List<Task> tasks) {
        for (int n = 1; n <= tasks.size(); n++) {
            List<Task> prefix = TaskSet.deadlineMonotonic(tasks).tasks().subList(0, n);
            long h = ExactReference.lcm(prefix), work = 0;
            for (Task k : prefix) work += h / k.periodNs() * k.wcetNs();
            if (work == h) return true;
        }
        return false;
    }
}
