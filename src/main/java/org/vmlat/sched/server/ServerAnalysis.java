package org.vmlat.sched.server;

import java.util.List;
import org.vmlat.sched.EdfAnalysis;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

/**
 * Whether a task set meets its deadlines on a periodic server, and the least budget that makes it
 * so. Exact tests for constrained deadlines (D <= T):
 *
 * <ul>
 *   <li>EDF (Shin and Lee 2003, Theorem 1): dbf(t) <= sbf(t) for every absolute deadline t up to
 *       the hyperperiod plus the longest deadline (checked deadline by deadline, bounded);</li>
 *   <li>FP (Shin and Lee 2003; Almeida and Pedreiras 2004): task i is schedulable iff some
 *       t in (0, D_i - J_i] has rbf_i(t) = B_i + C_i + sum_{hp} ceil((t + J_j)/T_j) C_j <= sbf(t);
 *       rbf_i only steps up at t = k T_j - J_j, so those points and D_i - J_i are enough.</li>
 * </ul>
 * Latency enters as in {@link LatencyModel}; under SUPPLY the server's supply is delayed by L.
 */
public final class ServerAnalysis {
    /** Points examined per test before giving up (reported as not schedulable). */
    public static final long WORK_LIMIT = 20_000_000;

    private ServerAnalysis() {}

    public static boolean schedulable(TaskSet set, Scheduler scheduler, PeriodicServer server, long latencyNs, LatencyModel model) {
        for (Task t : set.tasks()) {
            if (t.deadlineNs() > t.periodNs()) {
                throw new IllegalArgumentException("deadline: task \"" + t.name() + "\" has D > T; reservation design needs D <= T");
            }
            if (model.infeasible(t, latencyNs)) return false;
        }
        List<Task> tasks = model.apply(set.tasks(), latencyNs);
        long delay = model == LatencyModel.SUPPLY ? latencyNs : 0;
        try {
            return scheduler == Scheduler.EDF ? edf(tasks, server, delay) : fp(tasks, server, delay);
        } catch (ArithmeticException e) {
            return false;
        }
    }

    static boolean edf(List<Task> tasks, PeriodicServer s, long delay) {
        long horizon = 1, dMax = 0;
        for (Task t : tasks) {
            long d = t.deadlineNs() - t.jitterNs();
            if (d < t.wcetNs()) return false;
            dMax = Math.max(dMax, d);
            long g = gcd(horizon, t.periodNs());
            horizon = Math.multiplyExact(horizon / g, t.periodNs());
        }
        horizon = Math.addExact(Math.addExact(horizon, dMax), delay);
        // Past t*, the linear bounds dbf(t) <= U t + sum (T - D') U and
        // sbf(t) >= (Theta/Pi)(t - (Pi + Delta - 2 Theta) - delay) guarantee dbf <= sbf (Shin and Lee).
        double u = 0, offset = 0;
        for (Task k : tasks) {
            double ui = (double) k.wcetNs() / k.periodNs();
            u += ui;
            offset += (k.periodNs() - (k.deadlineNs() - k.jitterNs())) * ui;
        }
        double alpha = (double) s.budgetNs() / s.periodNs();
        if (alpha > u) {
            double x = s.periodNs() + s.deadlineNs() - 2.0 * s.budgetNs() + delay;
            double tStar = (offset + alpha * x) / (alpha - u);
            // a margin of one period and 1e-9 relative keeps rounding on the safe (longer) side
            double safe = tStar * (1 + 1e-9) + s.periodNs() + 1;
            if (safe < horizon) horizon = (long) Math.max(dMax, safe);
        }
        long t = 0, steps = 0;
        while (true) {
            t = EdfAnalysis.deadlineAfter(tasks, t);
            if (t > horizon) return true;
            long h = EdfAnalysis.demand(tasks, t);
            if (h > s.sbf(t, delay)) return false;
            if (++steps > WORK_LIMIT) return false;
        }
    }

    static boolean fp(List<Task> tasks, PeriodicServer s, long delay) {
        for (int i = 0; i < tasks.size(); i++) {
            Task ti = tasks.get(i);
            long limit = ti.deadlineNs() - ti.jitterNs();
            if (limit <= 0) return false;
            if (!fpTask(tasks, i, limit, s, delay)) return false;
        }
        return true;
    }

    private static boolean fpTask(List<Task> tasks, int i, long limit, PeriodicServer s, long delay) {
        Task ti = tasks.get(i);
        if (rbf(tasks, i, limit) <= s.sbf(limit, delay)) return true;
        long steps = 0;
        for (int j = 0; j < i; j++) {
            Task tj = tasks.get(j);
            for (long k = 1; ; k++) {
                long t = Math.multiplyExact(k, tj.periodNs()) - tj.jitterNs();
                if (t > limit) break;
                if (t > 0 && rbf(tasks, i, t) <= s.sbf(t, delay)) return true;
                if (++steps > WORK_LIMIT) return false;
            }
        }
        return false;
    }

    private static long rbf(List<Task> tasks, int i, long t) {
        Task ti = tasks.get(i);
        long r = Math.addExact(ti.blockingNs(), ti.wcetNs());
        for (int j = 0; j < i; j++) {
            Task tj = tasks.get(j);
            r = Math.addExact(r, Math.multiplyExact(-Math.floorDiv(-(t + tj.jitterNs()), tj.periodNs()), tj.wcetNs()));
        }
        return r;
    }

    /**
     * The least budget (integer ns) with which the set is schedulable on a server of this period
     * and deadline (deadline = period for the periodic resource model), or -1 if even a full
     * budget does not suffice. Schedulability is monotone in the budget, so a binary search over
     * 1..deadline finds it exactly: budget - 1 ns fails.
     */
    public static long minimumBudget(TaskSet set, Scheduler scheduler, long periodNs, long deadlineNs, long latencyNs, LatencyModel model) {
        if (!schedulable(set, scheduler, new PeriodicServer(periodNs, deadlineNs, deadlineNs), latencyNs, model)) return -1;
        long lo = 0, hi = deadlineNs; // not schedulable at lo (0 supplies nothing), schedulable at hi
        while (hi - lo > 1) {
            long mid = lo + (hi - lo) / 2;
            if (schedulable(set, scheduler, new PeriodicServer(periodNs, mid, deadlineNs), latencyNs, model)) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
