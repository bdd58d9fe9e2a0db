package org.vmlat.sched;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact processor-demand analysis for preemptive EDF on one processor, with release jitter and
 * arbitrary deadlines, by Quick Processor-demand Analysis (Zhang and Burns, "Schedulability
 * analysis for real-time systems with EDF scheduling", IEEE Trans. Computers 58(9), 2009).
 *
 * <p>With jitter a job's deadline is effectively {@code D' = D - J} after its release, and the
 * demand bound is {@code h(t) = sum_i max(0, floor((t - D'_i) / T_i) + 1) C_i}. The set is
 * schedulable iff U <= 1 and h(t) <= t for every t < L, where L is the synchronous busy period
 * (or, when U < 1, the smaller bound {@code max(D'_max, sum (T_i - D'_i) U_i / (1 - U))}). QPA
 * walks t downwards from the last deadline before L, jumping to h(t) whenever h(t) < t.
 *
 * <p>Under the SUPPLY latency model the processor supplies max(0, t - L) by time t; the test
 * becomes h(t) <= max(0, t - L) at every deadline before the bound, checked one deadline at a time.
 * With blocking (resource sharing under SRP, Baker 1991), a job due by t can be blocked once by a
 * job with a later deadline; the test adds {@code max{B_i : D'_i <= t}} to h(t). That term is a
 * safe upper bound, so with blocking the test is sufficient rather than exact.
 */
public final class EdfAnalysis {
    /** Deadlines examined before the analysis reports itself bounded. */
    public static final long WORK_LIMIT = 20_000_000;

    private EdfAnalysis() {}

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
            long supplyDelay = model == LatencyModel.SUPPLY ? latencyNs : 0;
            boolean blocking = tasks.stream().anyMatch(t -> t.blockingNs() > 0);
            Result r = supplyDelay == 0 && !blocking ? qpa(tasks) : scan(tasks, supplyDelay);
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

    /** Bound on the interval to check: the synchronous busy period, or La when U < 1 (whichever is smaller). */
    static long bound(List<Task> tasks) {
        long w = 0;
        for (Task k : tasks) w = Math.addExact(w, k.wcetNs());
        long iterations = 0;
        long la = laBound(tasks);
        while (true) {
            long next = 0;
            for (Task k : tasks) next = Math.addExact(next, Math.multiplyExact(FixedPriorityAnalysis.ceilDiv(Math.addExact(w, k.jitterNs()), k.periodNs()), k.wcetNs()));
            if (next == w) return la > 0 ? Math.min(w, la) : w;
            w = next;
            if (la > 0 && w >= la) return la;
            if (++iterations > WORK_LIMIT) return -1;
        }
    }

    /** max(D'_max, ceil(sum (T_i - D'_i) C_i / T_i / (1 - U))) when U < 1, else -1. */
    static long laBound(List<Task> tasks) {
        BigInteger num = BigInteger.ZERO, den = BigInteger.ONE;   // sum (T - D') C / T
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

    static Result qpa(List<Task> tasks) {
        long l = bound(tasks);
        if (l < 0) return new Result(false, true, "busy period longer than the work limit");
        long dMin = Long.MAX_VALUE;
        for (Task k : tasks) dMin = Math.min(dMin, k.deadlineNs() - k.jitterNs());
        long t = deadlineBefore(tasks, l + 1 > l ? Math.addExact(l, 1) : l);
        long steps = 0;
        long h = demand(tasks, t);
        while (h <= t && h > dMin) {
            t = h < t ? h : deadlineBefore(tasks, t);
            h = demand(tasks, t);
            if (++steps > WORK_LIMIT) return new Result(false, true, "QPA stopped after " + WORK_LIMIT + " steps");
        }
        boolean ok = h <= dMin || t == 0;
        return new Result(ok, false, ok ? "" : "demand " + h + " ns exceeds the interval " + t + " ns");
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

    static long blockingAt(List<Task> tasks, long t) {
        long b = 0;
        for (Task k : tasks) if (k.deadlineNs() - k.jitterNs() <= t) b = Math.max(b, k.blockingNs());
        return b;
    }

    /** Every deadline up to the bound against a supply delayed by {@code delay}. */
    static Result scan(List<Task> tasks, long delay) {
        long l = bound(tasks);
        if (l < 0) return new Result(false, true, "busy period longer than the work limit");
        long maxBlocking = 0;
        for (Task k : tasks) maxBlocking = Math.max(maxBlocking, k.blockingNs());
        // the delay and a blocking stretch the interval in which demand can pile up
        l = Math.addExact(Math.addExact(l, delay), maxBlocking);
        long t = 0, steps = 0;
        while (true) {
            t = deadlineAfter(tasks, t);
            if (t > l) return new Result(true, false, "");
            long h = Math.addExact(demand(tasks, t), blockingAt(tasks, t));
            if (h > Math.max(0, t - delay)) return new Result(false, false, "demand " + h + " ns exceeds the supply " + Math.max(0, t - delay) + " ns at t = " + t + " ns");
            if (++steps > WORK_LIMIT) return new Result(false, true, "stopped after " + WORK_LIMIT + " deadlines");
        }
    }
}
