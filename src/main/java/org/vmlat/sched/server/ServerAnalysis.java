package org.vmlat.sched.server;

import java.math.BigInteger;
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
 * Latency enters as in {@link LatencyModel}. Under SUPPLY the server loses the processor once for
 * at most L in the window: the tests compare with {@link PeriodicServer#sbfAfterOutage}
 * {@code max(0, sbf(t) - L)}, the same one-outage rule as {@code max(0, t - L)} on a dedicated
 * processor (and under FP the same as a blocking term of L). Because {@code sbf(t) - L <= sbf(t - L)},
 * this also covers a budget that arrives up to L late in every period (the EDP server with deadline
 * Delta + L). Under LATE_BUDGET the supply is that of every budget up to L late, deferred:
 * {@link PeriodicServer#sbf(long, long)} {@code sbf(t - L)}, exactly the EDP server with deadline
 * Delta + L.
 *
 * <p>EDF horizon. A set with {@code U > Theta / Pi} is not schedulable (demand grows faster than
 * supply, and deadlines go on forever). Otherwise any violation lies at or before the least of:
 * <ul>
 *   <li>{@code max(D'_max, Delta - Theta) + M}, M = lcm(hyperperiod, Pi): from there on dbf grows by
 *       {@code U M} and sbf by {@code (M / Pi) Theta >= U M} every M, so the slack repeats or grows;</li>
 *   <li>when {@code Theta / Pi > U}, the crossing point of {@code dbf(t) <= U t + sum (T_i - D'_i) U_i}
 *       and {@code sbf(t) - L >= (Theta / Pi)(t - (Pi + Delta - 2 Theta)) - L} (Shin and Lee 2003),
 *       widened by a rounding margin.</li>
 * </ul>
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
        Supply supply = model == LatencyModel.LATE_BUDGET ? t -> server.sbf(t, latencyNs)
                : t -> server.sbfAfterOutage(t, model.outageNs(latencyNs));
        long lost = model.outageNs(latencyNs); // what the linear lower bound of the supply gives up
        try {
            return scheduler == Scheduler.EDF ? edf(tasks, server, supply, lost) : fp(tasks, supply);
        } catch (ArithmeticException e) {
            return false;
        }
    }

    /** The least supply in a window of length t, latency included. */
    interface Supply {
        long at(long t);
    }

    /** EDF on the server; {@code lost}: {@code supply.at(t) >= (Theta/Pi)(t - (Pi + Delta - 2 Theta)) - lost}. */
    static boolean edf(List<Task> tasks, PeriodicServer s, Supply supply, long lost) {
        long dMax = 0;
        for (Task t : tasks) {
            long d = t.deadlineNs() - t.jitterNs();
            if (d < t.wcetNs()) return false;
            dMax = Math.max(dMax, d);
        }
        int cmp = compareUtilisation(tasks, s.budgetNs(), s.periodNs());
        if (cmp > 0) return false; // U > Theta / Pi: the demand outgrows the supply
        long horizon;
        try {
            long m = s.periodNs();
            for (Task t : tasks) m = Math.multiplyExact(m / gcd(m, t.periodNs()), t.periodNs());
            horizon = Math.addExact(Math.addExact(Math.max(dMax, s.deadlineNs() - s.budgetNs()), lost), m);
        } catch (ArithmeticException e) {
            horizon = Long.MAX_VALUE; // only the linear bound below can end the check
        }
        if (cmp < 0) {
            double u = 0, offset = 0;
            for (Task k : tasks) {
                double ui = (double) k.wcetNs() / k.periodNs();
                u += ui;
                offset += (k.periodNs() - (k.deadlineNs() - k.jitterNs())) * ui;
            }
            double alpha = (double) s.budgetNs() / s.periodNs();
            double x = s.periodNs() + s.deadlineNs() - 2.0 * s.budgetNs();
            double tStar = (offset + alpha * x + lost) / Math.max(alpha - u, Double.MIN_NORMAL);
            // a margin of one period and 1e-9 relative keeps rounding on the safe (longer) side
            double safe = tStar * (1 + 1e-9) + s.periodNs() + 1;
            if (safe < horizon) horizon = (long) Math.max(dMax, safe);
        }
        long t = 0, steps = 0;
        while (true) {
            t = EdfAnalysis.deadlineAfter(tasks, t);
            if (t > horizon) return true;
            long h = EdfAnalysis.demand(tasks, t);
            if (h > supply.at(t)) return false;
            if (++steps > WORK_LIMIT) return false;
        }
    }

    /** The sign of {@code sum C_i / T_i - num / den}, exactly. */
    private static int compareUtilisation(List<Task> tasks, long num, long den) {
        BigInteger n = BigInteger.ZERO, d = BigInteger.ONE;
        for (Task t : tasks) {
            BigInteger p = BigInteger.valueOf(t.periodNs());
            n = n.multiply(p).add(BigInteger.valueOf(t.wcetNs()).multiply(d));
            d = d.multiply(p);
        }
        return n.multiply(BigInteger.valueOf(den)).compareTo(BigInteger.valueOf(num).multiply(d));
    }

    static boolean fp(List<Task> tasks, Supply supply) {
        for (int i = 0; i < tasks.size(); i++) {
            Task ti = tasks.get(i);
            long limit = ti.deadlineNs() - ti.jitterNs();
            if (limit <= 0) return false;
            if (!fpTask(tasks, i, limit, supply)) return false;
        }
        return true;
    }

    private static boolean fpTask(List<Task> tasks, int i, long limit, Supply supply) {
        if (rbf(tasks, i, limit) <= supply.at(limit)) return true;
        long steps = 0;
        for (int j = 0; j < i; j++) {
            Task tj = tasks.get(j);
            for (long k = 1; ; k++) {
                long t = Math.multiplyExact(k, tj.periodNs()) - tj.jitterNs();
                if (t > limit) break;
                if (t > 0 && rbf(tasks, i, t) <= supply.at(t)) return true;
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

    /**
     * The reservation a server of this period and deadline needs when each period also pays
     * {@code overheadNs} (context switches, the vCPU's own entry and exit): the least task budget Q
     * plus the overhead, which must itself be delivered within the server deadline. Never clamped:
     * when {@code Q + overhead} exceeds the deadline the answer is infeasible, with the reason.
     */
    public static ServerBudget budget(TaskSet set, Scheduler scheduler, long periodNs, long deadlineNs, long overheadNs,
                                      long latencyNs, LatencyModel model) {
        if (overheadNs < 0) throw new IllegalArgumentException("overhead: must be >= 0, got " + overheadNs + " ns");
        long q = minimumBudget(set, scheduler, periodNs, deadlineNs, latencyNs, model);
        if (q < 0) {
            return ServerBudget.infeasible(-1, overheadNs, "not schedulable even with the whole server deadline of "
                    + deadlineNs + " ns every " + periodNs + " ns");
        }
        long runtime = Math.addExact(q, overheadNs);
        if (runtime > deadlineNs) {
            return ServerBudget.infeasible(q, overheadNs, "needs " + q + " ns + " + overheadNs + " ns overhead = " + runtime
                    + " ns every period, more than the server deadline " + deadlineNs + " ns");
        }
        return new ServerBudget(q, overheadNs, runtime, "");
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
