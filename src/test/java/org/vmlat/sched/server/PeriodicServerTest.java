package org.vmlat.sched.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

class PeriodicServerTest {

    /** Shin and Lee's periodic resource Pi = 5, Theta = 3 over t = 0..15 (quoted in the vmlat analysis issue). */
    @Test
    void periodicResourceSupplyOfShinAndLee() {
        PeriodicServer s = PeriodicServer.prm(5, 3);
        long[] sbf = LongStream.rangeClosed(0, 15).map(s::sbf).toArray();
        assertThat(sbf).containsExactly(0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 4, 5, 6, 6, 6, 7);
    }

    /** The supply bound equals the least supply of the worst-case pattern, found by brute force. */
    @Test
    void sbfIsTheLeastSupplyOverAllWindowsOfTheWorstPattern() {
        for (long[] prm : new long[][] {{5, 3, 5}, {7, 2, 7}, {10, 4, 6}, {6, 6, 6}, {9, 1, 3}}) {
            PeriodicServer s = new PeriodicServer(prm[0], prm[1], prm[2]);
            // all schedules where each period delivers its budget somewhere within [kP, kP + Delta): the
            // worst window is covered by "as early as possible, then as late as possible"; enumerate
            // per-period offsets 0..Delta-Theta over 4 periods and take the least supply per window length
            long p = prm[0], q = prm[1], d = prm[2];
            long[] least = new long[(int) (3 * p) + 1];
            java.util.Arrays.fill(least, Long.MAX_VALUE);
            int span = (int) (d - q + 1);
            for (int code = 0; code < span * span * span * span; code++) {
                boolean[] busy = new boolean[(int) (4 * p)];
                int c = code;
                for (int k = 0; k < 4; k++) {
                    int off = c % span;
                    c /= span;
                    for (long x = 0; x < q; x++) busy[(int) (k * p + off + x)] = true;
                }
                for (int start = 0; start + 3 * p <= busy.length; start++) {
                    long sum = 0;
                    for (int len = 0; len <= 3 * p; len++) {
                        least[len] = Math.min(least[len], sum);
                        if (start + len < busy.length && busy[start + len]) sum++;
                    }
                }
            }
            for (int t = 0; t <= 3 * p - p; t++) assertThat(s.sbf(t)).as("Pi=%d Theta=%d Delta=%d t=%d", p, q, d, t).isEqualTo(least[t]);
        }
    }

    @Test
    void delayedSupplyShiftsTheCurve() {
        PeriodicServer s = PeriodicServer.prm(5, 3);
        assertThat(s.sbf(7, 2)).isEqualTo(s.sbf(5));
        assertThat(s.sbf(2, 2)).isZero();
    }

    /** Minimality: the budget found is schedulable and one nanosecond less is not. */
    @Test
    void minimumBudgetIsMinimal() {
        Random rnd = new Random(21);
        int found = 0;
        for (int s = 0; s < 60; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = 1_000 + rnd.nextInt(9_000);
                tasks.add(Task.of("t" + i, 1 + rnd.nextInt((int) t / 8), t));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            for (Scheduler sch : Scheduler.values()) {
                long period = 200 + rnd.nextInt(800);
                long q = ServerAnalysis.minimumBudget(ts, sch, period, period, 0, LatencyModel.JITTER);
                if (q < 0) continue;
                found++;
                assertThat(ServerAnalysis.schedulable(ts, sch, PeriodicServer.prm(period, q), 0, LatencyModel.JITTER)).isTrue();
                assertThat(ServerAnalysis.schedulable(ts, sch, PeriodicServer.prm(period, q - 1), 0, LatencyModel.JITTER))
                        .as("%s period %d budget %d - 1", sch, period, q).isFalse();
                assertThat((double) q / period).isGreaterThanOrEqualTo(ts.utilisation() - 1e-9);
            }
        }
        assertThat(found).isGreaterThan(50);
    }

    /** A dedicated processor (budget = period) behaves like the plain uniprocessor test. */
    @Test
    void fullBudgetMatchesTheUniprocessorTests() {
        Random rnd = new Random(4);
        for (int s = 0; s < 200; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = 5 + rnd.nextInt(30);
                long c = 1 + rnd.nextInt((int) t / 2);
                tasks.add(new Task("t" + i, c, t, c + rnd.nextInt((int) (t - c + 1)), 0, 0, 0, ""));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            assertThat(ServerAnalysis.schedulable(ts, Scheduler.FP, PeriodicServer.prm(1, 1), 0, LatencyModel.JITTER))
                    .isEqualTo(org.vmlat.sched.FixedPriorityAnalysis.analyze(ts, 0, LatencyModel.JITTER).schedulable());
            assertThat(ServerAnalysis.schedulable(ts, Scheduler.EDF, PeriodicServer.prm(1, 1), 0, LatencyModel.JITTER))
                    .isEqualTo(org.vmlat.sched.EdfAnalysis.analyze(ts, 0, LatencyModel.JITTER).schedulable());
        }
    }

    /** Easwaran et al.'s EDP supply bound, written out again for the reference below. */
    static long sbfRef(long pi, long theta, long delta, long t) {
        if (theta == 0 || t < delta - theta) return 0;
        long y = (t - (delta - theta)) / pi;
        return y * theta + Math.max(0, t - (pi + delta - 2 * theta) - y * pi);
    }

    static long lcm(long a, long b) {
        long x = a, y = b;
        while (y != 0) {
            long r = x % y;
            x = y;
            y = r;
        }
        return a / x * b;
    }

    /**
     * Latency as a supply outage means the same on a server as on a dedicated processor: the
     * processor is lost once for at most L, so the demand plus L must fit the server's supply,
     * {@code dbf(t) + L <= sbf(t)} (EDF) and {@code rbf_i(t) + L <= sbf(t)} for some t (FP). Checked by
     * brute force over every integer t, a server horizon of four lcm(hyperperiod, Pi), and Shin and
     * Lee's necessary condition U <= Theta / Pi.
     */
    @Test
    void supplyOutageOnAServerAgreesWithBruteForce() {
        Random rnd = new Random(1204);
        int checked = 0, sched = 0, unsched = 0;
        while (checked < 1000) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 2 + rnd.nextInt(2); i++) {
                long t = 4 + rnd.nextInt(12);
                long c = 1 + rnd.nextInt((int) Math.max(1, t / 4));
                tasks.add(new Task("t" + i, c, t, c + rnd.nextInt((int) (t - c + 1)), 0, 0, 0, ""));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            long pi = 2 + rnd.nextInt(6), delta = pi - rnd.nextInt((int) pi / 2 + 1);
            long theta = Math.min(delta, 1 + Math.round(ts.utilisation() * pi) + rnd.nextInt(3) - 1);
            if (theta < 1) continue;
            long l = rnd.nextInt(4);
            long h = 1, dMax = 0;
            for (Task k : tasks) {
                h = lcm(h, k.periodNs());
                dMax = Math.max(dMax, k.deadlineNs());
            }
            long end = dMax + delta + 4 * lcm(h, pi);
            boolean edf = ts.utilisationAtMost(theta, pi);
            for (long t = 1; edf && t <= end; t++) {
                long dbf = 0;
                for (Task k : tasks) if (t >= k.deadlineNs()) dbf += ((t - k.deadlineNs()) / k.periodNs() + 1) * k.wcetNs();
                if (dbf > 0 && dbf + l > sbfRef(pi, theta, delta, t)) edf = false;
            }
            boolean fp = true;
            for (int i = 0; i < ts.size() && fp; i++) {
                boolean some = false;
                for (long t = 1; t <= ts.get(i).deadlineNs() && !some; t++) {
                    long rbf = ts.get(i).wcetNs();
                    for (int j = 0; j < i; j++) rbf += (t + ts.get(j).periodNs() - 1) / ts.get(j).periodNs() * ts.get(j).wcetNs();
                    some = rbf + l <= sbfRef(pi, theta, delta, t);
                }
                fp = some;
            }
            PeriodicServer server = new PeriodicServer(pi, theta, delta);
            String as = tasks + " server (" + pi + ", " + theta + ", " + delta + ") L=" + l;
            assertThat(ServerAnalysis.schedulable(ts, Scheduler.EDF, server, l, LatencyModel.SUPPLY)).as("EDF " + as).isEqualTo(edf);
            assertThat(ServerAnalysis.schedulable(ts, Scheduler.FP, server, l, LatencyModel.SUPPLY)).as("FP " + as).isEqualTo(fp);
            if (edf) sched++; else unsched++;
            checked++;
        }
        assertThat(sched).isGreaterThan(100);
        assertThat(unsched).isGreaterThan(100);
    }

    /** On a dedicated processor (a full-budget server) the supply outage gives the uniprocessor answers. */
    @Test
    void fullBudgetWithAnOutageMatchesTheUniprocessorTests() {
        Random rnd = new Random(1205);
        for (int s = 0; s < 300; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = 5 + rnd.nextInt(30);
                long c = 1 + rnd.nextInt((int) t / 2);
                tasks.add(new Task("t" + i, c, t, c + rnd.nextInt((int) (t - c + 1)), 0, 0, 0, ""));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            long l = rnd.nextInt(5);
            assertThat(ServerAnalysis.schedulable(ts, Scheduler.FP, PeriodicServer.prm(1, 1), l, LatencyModel.SUPPLY))
                    .as("%s L=%d", tasks, l).isEqualTo(org.vmlat.sched.FixedPriorityAnalysis.analyze(ts, l, LatencyModel.SUPPLY).schedulable());
            assertThat(ServerAnalysis.schedulable(ts, Scheduler.EDF, PeriodicServer.prm(1, 1), l, LatencyModel.SUPPLY))
                    .as("%s L=%d", tasks, l).isEqualTo(org.vmlat.sched.EdfAnalysis.analyze(ts, l, LatencyModel.SUPPLY).schedulable());
        }
    }

    /**
     * A late budget every period (LATE_BUDGET) is exactly the EDP server with deadline Delta + L
     * (Easwaran et al. 2007), and the one-outage rule (SUPPLY) is never more optimistic than it.
     */
    @Test
    void lateBudgetIsTheServerWithALaterDeadline() {
        Random rnd = new Random(1207);
        int differ = 0;
        for (int s = 0; s < 400; s++) {
            List<Task> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t = 6 + rnd.nextInt(30);
                long c = 1 + rnd.nextInt((int) t / 4);
                tasks.add(new Task("t" + i, c, t, c + rnd.nextInt((int) (t - c + 1)), 0, 0, 0, ""));
            }
            TaskSet ts = TaskSet.deadlineMonotonic(tasks);
            long pi = 4 + rnd.nextInt(8), delta = pi - 1 - rnd.nextInt((int) pi / 2);
            long theta = Math.max(1, Math.min(delta, Math.round(ts.utilisation() * pi) + rnd.nextInt(3)));
            long l = 1 + rnd.nextInt((int) (pi - delta));
            for (Scheduler sch : Scheduler.values()) {
                boolean late = ServerAnalysis.schedulable(ts, sch, new PeriodicServer(pi, theta, delta), l, LatencyModel.LATE_BUDGET);
                boolean edp = ServerAnalysis.schedulable(ts, sch, new PeriodicServer(pi, theta, delta + l), 0, LatencyModel.JITTER);
                boolean outage = ServerAnalysis.schedulable(ts, sch, new PeriodicServer(pi, theta, delta), l, LatencyModel.SUPPLY);
                String as = sch + " " + tasks + " (" + pi + ", " + theta + ", " + delta + ") L=" + l;
                assertThat(late).as(as).isEqualTo(edp);
                assertThat(!outage || late).as(as).isTrue();
                if (late && !outage) differ++;
            }
        }
        assertThat(differ).isGreaterThan(10);
    }
}
