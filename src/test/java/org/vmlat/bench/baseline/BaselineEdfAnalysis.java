package org.vmlat.bench.baseline;

import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.TaskVerdict;
import org.vmlat.sched.Verdict;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * The implementation before the primitive-array rewrite, kept verbatim as the reference the
 * benchmark measures its ratio against (test scope only).
 *
 * <p>
 * Exact processor-demand analysis for preemptive EDF on one processor, with release jitter and
 * arbitrary deadlines, by Quick Processor-demand Analysis (Zhang and Burns, "Schedulability
 * analysis for real-time systems with EDF scheduling", IEEE Trans. Computers 58(9), 2009).
 *
 * <p>With jitter a job's deadline is effectively {@code D' = D - J} after its release, and the
 * demand bound is {@code h(t) = sum_i max(0, floor((t - D'_i) / T_i) + 1) C_i}. With blocking
 * (resource sharing under SRP, Baker 1991) a job due by t can be blocked once by a job with a later
 * deadline, which adds {@code B(t) = max{B_i : D'_i <= t}}; that term is a safe upper bound, so with
 * blocking the test is sufficient rather than exact. Under the SUPPLY latency model the processor is
 * lost for at most L once ({@link LatencyModel#SUPPLY}): it supplies at least {@code max(0, t - L)} in
 * any window of length t (LATE_BUDGET is the same on a dedicated processor). The test is
 * <pre>   h(t) + B(t) + L <= t   at every absolute deadline t > 0,  and U <= 1.</pre>
 *
 * <p><b>Where the check may stop.</b> Write {@code E = L + B_max} for the extra load. Any violation
 * lies at or before the horizon {@link #horizon}, the least of these bounds that exists:
 * <ol>
 *   <li>U < 1: {@code max(D'_max, ceil((E + sum_i (T_i - D'_i) U_i) / (1 - U)))}. Proof: for
 *       {@code t >= D'_max} every task has {@code floor((t - D'_i)/T_i) + 1 <= (t - D'_i + T_i)/T_i},
 *       so {@code h(t) <= U t + sum (T_i - D'_i) U_i}, and {@code B(t) <= B_max}; a violation
 *       {@code h(t) + B(t) + L > t} then needs {@code (1 - U) t < E + sum (T_i - D'_i) U_i}. (Baker's
 *       La bound with E added; with E = 0 it is the bound QPA uses.)</li>
 *   <li>The synchronous busy period of the inflated problem: any {@code w > 0} with
 *       {@code E + W(w) <= w}, {@code W(w) = sum_i ceil((w + J_i) / T_i) C_i} (found by fixed-point
 *       iteration from {@code E + sum C_i}; it exists when U < 1, or U = 1 and E = 0). Proof: a job
 *       with a deadline at most t is released before t, so counting jobs released before w and the
 *       rest, which start no earlier than w and so count as in a synchronous window of length
 *       {@code t - w}, gives {@code h(t) <= W(w) + h(t - w)} for {@code t >= w}. Take the first
 *       violation t; if {@code t >= w}, then {@code h(t) + B(t) + L - t <= (E + W(w) - w) + h(t') - t'
 *       <= h(t') - t'} with {@code t' = t - w}, so {@code h(t') > t' >= 0}, t' > 0, and t' (or the last
 *       deadline before it) violates the test earlier: a contradiction.</li>
 *   <li>U = 1: {@code D'_max + H} with H the hyperperiod. Past {@code D'_max} every task adds exactly
 *       {@code (H / T_i) C_i} per hyperperiod, so {@code h(t + H) = h(t) + H} and {@code B(t)} is
 *       constant: the slack {@code t - h(t) - B(t) - L} repeats with period H.</li>
 * </ol>
 * Stopping at the busy period <em>without</em> E and adding E afterwards is not safe: the first
 * violation can lie beyond it. QPA then walks t downwards from the last deadline at or before the
 * horizon, jumping to {@code h(t) + B(t) + L} whenever that is below t; this is valid for any
 * non-decreasing load that steps only at deadlines, which the blocking and outage terms are.
 */
public final class BaselineEdfAnalysis {
    /** Deadlines examined before the analysis reports itself bounded. */
    public static final long WORK_LIMIT = 20_000_000;

    private BaselineEdfAnalysis() {}

    public static Verdict analyze(TaskSet set, long latencyNs, LatencyModel model) {
        List<Task> tasks = model.apply(set.tasks(), latencyNs);
        List<TaskVerdict> verdicts = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            if (model.infeasible(set.get(i), latencyNs) || tasks.get(i).deadlineNs() - tasks.get(i).jitterNs() < tasks.get(i).wcetNs()) {
                return all(set, latencyNs, model, false, tasks.get(i).name() + ": no time left between release jitter/latency and deadline", false);
            }
        }
        if (!new TaskSet(tasks).utilisationAtMost(1, 1)) return all(set, latencyNs, model, false, "utilisation exceeds 1", false);
        try {
            long outage = model.outageNs(latencyNs);
            Result r = qpa(tasks, outage);
            return all(set, latencyNs, model, r.ok, r.note, r.bounded);
        } catch (ArithmeticException e) {
            return all(set, latencyNs, model, false, "times exceed the range of 64-bit nanoseconds", true);
        }
    }

    private static Verdict all(TaskSet set, long latencyNs, LatencyModel model, boolean ok, String note, boolean bounded) {
        List<TaskVerdict> v = new ArrayList<>();
        for (Task t : set.tasks()) v.add(new TaskVerdict(t.name(), -1, ok, -1, ok ? "" : note));
        return new Verdict(Scheduler.EDF, ok, latencyNs, model, v, bounded, note);
    }

    record Result(boolean ok, boolean bounded, String note) {}

    /** Demand bound h(t) with jitter folded into the deadlines. */
    public static long demand(List<Task> tasks, long t) {
        long h = 0;
        for (Task k : tasks) {
            long d = k.deadlineNs() - k.jitterNs();
            if (t >= d) h = Math.addExact(h, Math.multiplyExact(Math.floorDiv(t - d, k.periodNs()) + 1, k.wcetNs()));
        }
        return h;
    }

    /** The largest absolute deadline strictly before x (0 when there is none). */
    static long deadlineBefore(List<Task> tasks, long x) {
        long best = 0;
        for (Task k : tasks) {
            long d = k.deadlineNs() - k.jitterNs();
            if (x - 1 >= d) best = Math.max(best, Math.addExact(d, Math.multiplyExact(Math.floorDiv(x - 1 - d, k.periodNs()), k.periodNs())));
        }
        return best;
    }

    /**
     * The last instant at which a violation of {@code h(t) + B(t) + outage <= t} can occur: the
     * least of the bounds in the class comment that exists (U < 1: La with the extra load; U = 1:
     * D'_max plus the hyperperiod; either: the inflated busy period), or -1 when none is found
     * within 64-bit times and the work limit.
     */
    static long horizon(List<Task> tasks, long outageNs) {
        long maxBlocking = 0;
        for (Task k : tasks) maxBlocking = Math.max(maxBlocking, k.blockingNs());
        long extra = Math.addExact(outageNs, maxBlocking);
        long la = laBound(tasks, extra);
        if (la < 0) la = hyperperiodBound(tasks); // U = 1
        long bp = busyPeriod(tasks, extra, la);
        return bp >= 0 && (la < 0 || bp < la) ? bp : la;
    }

    /** D'_max plus the hyperperiod, or -1 when that overflows. */
    static long hyperperiodBound(List<Task> tasks) {
        try {
            long h = 1, dMax = 0;
            for (Task k : tasks) {
                h = Math.multiplyExact(h / gcd(h, k.periodNs()), k.periodNs());
                dMax = Math.max(dMax, k.deadlineNs() - k.jitterNs());
            }
            return Math.addExact(dMax, h);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /**
     * The least w with {@code extra + sum ceil((w + J_i)/T_i) C_i <= w}, by fixed-point iteration;
     * {@code cap} (when >= 0) once w reaches it, -1 past the work limit.
     */
    static long busyPeriod(List<Task> tasks, long extra, long cap) {
        long w = extra;
        for (Task k : tasks) w = Math.addExact(w, k.wcetNs());
        long iterations = 0;
        while (true) {
            if (cap >= 0 && w >= cap) return cap;
            long next = extra;
            for (Task k : tasks) next = Math.addExact(next, Math.multiplyExact(BaselineFixedPriorityAnalysis.ceilDiv(Math.addExact(w, k.jitterNs()), k.periodNs()), k.wcetNs()));
            if (next == w) return w;
            w = next;
            if (++iterations > WORK_LIMIT) return -1;
        }
    }

    /** max(D'_max, ceil((extra + sum (T_i - D'_i) C_i / T_i) / (1 - U))) when U < 1, else -1. */
    static long laBound(List<Task> tasks, long extra) {
        BigInteger num = BigInteger.valueOf(extra), den = BigInteger.ONE;   // extra + sum (T - D') C / T
        BigInteger uNum = BigInteger.ZERO, uDen = BigInteger.ONE; // U
        long dMax = 0;
        for (Task k : tasks) {
            long d = k.deadlineNs() - k.jitterNs();
            dMax = Math.max(dMax, d);
            BigInteger t = BigInteger.valueOf(k.periodNs()), c = BigInteger.valueOf(k.wcetNs());
            num = num.multiply(t).add(BigInteger.valueOf(k.periodNs() - d).multiply(c).multiply(den));
            den = den.multiply(t);
            uNum = uNum.multiply(t).add(c.multiply(uDen));
            uDen = uDen.multiply(t);
        }
        BigInteger slackNum = uDen.subtract(uNum); // 1 - U = slackNum / uDen
        if (slackNum.signum() <= 0) return -1;
        // (num/den) / (slackNum/uDen) = num * uDen / (den * slackNum)
        BigInteger n = num.multiply(uDen), d = den.multiply(slackNum);
        long la = n.signum() <= 0 ? 0 : n.add(d).subtract(BigInteger.ONE).divide(d).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        return Math.max(dMax, la);
    }

    /** The load the test compares with t: demand, the blocking charged at t, and the outage. */
    static long load(List<Task> tasks, long t, long outageNs) {
        return Math.addExact(Math.addExact(demand(tasks, t), blockingAt(tasks, t)), outageNs);
    }

    /** QPA on {@code load(t) <= t} from the horizon down (Zhang and Burns 2009, Theorem 5). */
    static Result qpa(List<Task> tasks, long outageNs) {
        long l = horizon(tasks, outageNs);
        if (l < 0) return new Result(false, true, "busy period longer than the work limit");
        long dMin = Long.MAX_VALUE;
        for (Task k : tasks) dMin = Math.min(dMin, k.deadlineNs() - k.jitterNs());
        long t = deadlineBefore(tasks, Math.addExact(l, 1));
        long steps = 0;
        long h = load(tasks, t, outageNs);
        while (h <= t && h > dMin) {
            t = h < t ? h : deadlineBefore(tasks, t);
            h = load(tasks, t, outageNs);
            if (++steps > WORK_LIMIT) return new Result(false, true, "QPA stopped after " + WORK_LIMIT + " steps");
        }
        boolean ok = h <= dMin || t == 0;
        if (ok) return new Result(true, false, "");
        // report the deadline itself: h(t) is constant from the last deadline at or before t
        long d = deadlineBefore(tasks, Math.addExact(t, 1));
        String supply = outageNs > 0 ? "the supply " + Math.max(0, d - outageNs) + " ns" : "the interval " + d + " ns";
        return new Result(false, false, "demand " + Math.subtractExact(h, outageNs) + " ns exceeds " + supply + " at t = " + d + " ns");
    }

    /** The first absolute deadline (jitter folded in) strictly after t. */
    public static long deadlineAfter(List<Task> tasks, long t) {
        long next = Long.MAX_VALUE;
        for (Task k : tasks) {
            long d = k.deadlineNs() - k.jitterNs();
            long c = t < d ? d : Math.addExact(d, Math.multiplyExact(Math.floorDiv(t - d, k.periodNs()) + 1, k.periodNs()));
            next = Math.min(next, c);
        }
        return next;
    }

    /** The blocking a job due by t can suffer: the largest B_i of the tasks with D'_i <= t. */
    static long blockingAt(List<Task> tasks, long t) {
        long b = 0;
        for (Task k : tasks) if (k.deadlineNs() - k.jitterNs() <= t) b = Math.max(b, k.blockingNs());
        return b;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
