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
 *
 * <p>The task parameters are copied once per call into primitive arrays ({@link Demand}); every
 * step of the horizon, the busy period and QPA touches only those arrays.
 */
public final class EdfAnalysis {
    /** Deadlines examined before the analysis reports itself bounded. */
    public static final long WORK_LIMIT = 20_000_000;

    private EdfAnalysis() {}

    public static Verdict analyze(TaskSet set, long latencyNs, LatencyModel model) {
        Demand a = Demand.of(set, latencyNs, model);
        int bad = a.firstWithoutRoom(set, latencyNs, model);
        if (bad >= 0) return all(set, latencyNs, model, false, set.get(bad).name() + ": no time left between release jitter/latency and deadline", false);
        if (!a.utilisationAtMostOne()) return all(set, latencyNs, model, false, "utilisation exceeds 1", false);
        try {
            Result r = qpa(a, model.outageNs(latencyNs));
            return all(set, latencyNs, model, r.ok, r.note, r.bounded);
        } catch (ArithmeticException e) {
            return all(set, latencyNs, model, false, "times exceed the range of 64-bit nanoseconds", true);
        }
    }

    /** Only the yes/no answer of {@link #analyze}, without building verdicts or notes (for sweeps). */
    public static boolean schedulable(TaskSet set, long latencyNs, LatencyModel model) {
        Demand a = Demand.of(set, latencyNs, model);
        if (a.firstWithoutRoom(set, latencyNs, model) >= 0 || !a.utilisationAtMostOne()) return false;
        try {
            return qpaHolds(a, model.outageNs(latencyNs)) == 1;
        } catch (ArithmeticException e) {
            return false;
        }
    }

    private static Verdict all(TaskSet set, long latencyNs, LatencyModel model, boolean ok, String note, boolean bounded) {
        List<TaskVerdict> v = new ArrayList<>(set.size());
        for (Task t : set.tasks()) v.add(new TaskVerdict(t.name(), -1, ok, -1, ok ? "" : note));
        return new Verdict(Scheduler.EDF, ok, latencyNs, model, v, bounded, note);
    }

    record Result(boolean ok, boolean bounded, String note) {}

    /** Demand bound h(t) with jitter folded into the deadlines. */
    public static long demand(List<Task> tasks, long t) {
        return Demand.of(tasks).demand(t);
    }

    /** The first absolute deadline (jitter folded in) strictly after t. */
    public static long deadlineAfter(List<Task> tasks, long t) {
        Demand a = Demand.of(tasks);
        long next = Long.MAX_VALUE;
        for (int i = 0; i < a.n; i++) {
            long d = a.d[i];
            long c = t < d ? d : Math.addExact(d, Math.multiplyExact(Math.floorDiv(t - d, a.t[i]) + 1, a.t[i]));
            next = Math.min(next, c);
        }
        return next;
    }

    /** The horizon of the class comment for tasks with L already applied (see {@link Demand#horizon}). */
    static long horizon(List<Task> tasks, long outageNs) {
        return Demand.of(tasks).horizon(outageNs);
    }

    /** max(D'_max, ceil((extra + sum (T_i - D'_i) C_i / T_i) / (1 - U))) when U < 1, else -1. */
    static long laBound(List<Task> tasks, long extra) {
        return Demand.of(tasks).laBound(extra);
    }

    /** QPA on {@code load(t) <= t} from the horizon down (Zhang and Burns 2009, Theorem 5). */
    static Result qpa(Demand a, long outageNs) {
        long[] at = new long[2];
        int holds = a.qpa(outageNs, at, true);
        if (holds == 1) return new Result(true, false, "");
        if (holds == -1) return new Result(false, true, "busy period longer than the work limit");
        if (holds == -2) return new Result(false, true, "QPA stopped after " + WORK_LIMIT + " steps");
        long t = at[0], h = at[1];
        // report the deadline itself: h(t) is constant from the last deadline at or before t
        long d = a.deadlineBefore(Math.addExact(t, 1));
        String supply = outageNs > 0 ? "the supply " + Math.max(0, d - outageNs) + " ns" : "the interval " + d + " ns";
        return new Result(false, false, "demand " + Math.subtractExact(h, outageNs) + " ns exceeds " + supply + " at t = " + d + " ns");
    }

    /** 1 when QPA accepts, 0 when it finds a violation, negative when it stopped at a work limit. */
    private static int qpaHolds(Demand a, long outageNs) {
        return a.qpa(outageNs, new long[2], false);
    }

    /**
     * The tasks as primitive arrays with the latency model applied (as {@link LatencyModel#apply}
     * would): C, T, the effective relative deadline {@code D' = D - J}, J and B. Built once per call.
     */
    static final class Demand {
        final int n;
        final long[] c, t, d, j, b;
        long dMin = Long.MAX_VALUE, dMax = 0, bMax = 0;

        private Demand(int n) {
            this.n = n;
            c = new long[n];
            t = new long[n];
            d = new long[n];
            j = new long[n];
            b = new long[n];
        }

        private void put(int i, long wcet, long period, long deadline, long jitter, long blocking) {
            c[i] = wcet;
            t[i] = period;
            j[i] = jitter;
            b[i] = blocking;
            d[i] = deadline - jitter;
            dMin = Math.min(dMin, d[i]);
            dMax = Math.max(dMax, d[i]);
            bMax = Math.max(bMax, blocking);
        }

        /** Tasks whose parameters already include the latency. */
        static Demand of(List<Task> tasks) {
            Demand a = new Demand(tasks.size());
            for (int i = 0; i < a.n; i++) {
                Task k = tasks.get(i);
                a.put(i, k.wcetNs(), k.periodNs(), k.deadlineNs(), k.jitterNs(), k.blockingNs());
            }
            return a;
        }

        static Demand of(TaskSet set, long latencyNs, LatencyModel model) {
            Demand a = new Demand(set.size());
            boolean shift = latencyNs != 0;
            for (int i = 0; i < a.n; i++) {
                Task k = set.get(i);
                long deadline = k.deadlineNs(), jitter = k.jitterNs();
                if (shift && model == LatencyModel.JITTER) jitter = Math.addExact(jitter, latencyNs);
                if (shift && model == LatencyModel.DEADLINE) deadline = Math.max(k.wcetNs(), deadline - latencyNs);
                a.put(i, k.wcetNs(), k.periodNs(), deadline, jitter, k.blockingNs());
            }
            return a;
        }

        /** The first task with no room between its (shifted) release and deadline, or -1. */
        int firstWithoutRoom(TaskSet set, long latencyNs, LatencyModel model) {
            for (int i = 0; i < n; i++) {
                if (model.infeasible(set.get(i), latencyNs) || d[i] < c[i]) return i;
            }
            return -1;
        }

        /** Exact sum(C/T) <= 1; doubles decide unless within 1e-9 of 1. */
        boolean utilisationAtMostOne() {
            double u = 0;
            for (int i = 0; i < n; i++) u += (double) c[i] / t[i];
            if (u < 1 - 1e-9) return true;
            if (u > 1 + 1e-9) return false;
            BigInteger num = BigInteger.ZERO, den = BigInteger.ONE;
            for (int i = 0; i < n; i++) {
                BigInteger ti = BigInteger.valueOf(t[i]);
                num = num.multiply(ti).add(BigInteger.valueOf(c[i]).multiply(den));
                den = den.multiply(ti);
            }
            return num.compareTo(den) <= 0;
        }

        long demand(long x) {
            long h = 0;
            for (int i = 0; i < n; i++) {
                if (x >= d[i]) h = Math.addExact(h, Math.multiplyExact((x - d[i]) / t[i] + 1, c[i]));
            }
            return h;
        }

        /** The load the test compares with x: demand, the blocking charged at x, and the outage. */
        long load(long x, long outageNs) {
            long h = 0, blocking = 0;
            for (int i = 0; i < n; i++) {
                long di = d[i];
                if (x >= di) {
                    h = Math.addExact(h, Math.multiplyExact((x - di) / t[i] + 1, c[i]));
                    if (b[i] > blocking) blocking = b[i];
                }
            }
            return Math.addExact(Math.addExact(h, blocking), outageNs);
        }

        /** The largest absolute deadline strictly before x (0 when there is none). */
        long deadlineBefore(long x) {
            long best = 0, y = x - 1;
            for (int i = 0; i < n; i++) {
                long di = d[i];
                if (y >= di) best = Math.max(best, Math.addExact(di, Math.multiplyExact((y - di) / t[i], t[i])));
            }
            return best;
        }

        /**
         * The last instant at which a violation of {@code h(t) + B(t) + outage <= t} can occur: the
         * least of the bounds in the class comment that exists (U < 1: La with the extra load; U = 1:
         * D'_max plus the hyperperiod; either: the inflated busy period), or -1 when none is found
         * within 64-bit times and the work limit.
         */
        long horizon(long outageNs) {
            long extra = Math.addExact(outageNs, bMax);
            long la = laBound(extra);
            if (la < 0) la = hyperperiodBound(); // U = 1
            long bp = busyPeriod(extra, la);
            return bp >= 0 && (la < 0 || bp < la) ? bp : la;
        }

        /** D'_max plus the hyperperiod, or -1 when that overflows. */
        long hyperperiodBound() {
            try {
                long h = 1;
                for (int i = 0; i < n; i++) h = Math.multiplyExact(h / gcd(h, t[i]), t[i]);
                return Math.addExact(dMax, h);
            } catch (ArithmeticException e) {
                return -1;
            }
        }

        /**
         * The least w with {@code extra + sum ceil((w + J_i)/T_i) C_i <= w}, by fixed-point iteration;
         * {@code cap} (when >= 0) once w reaches it, -1 past the work limit.
         */
        long busyPeriod(long extra, long cap) {
            long w = extra;
            for (int i = 0; i < n; i++) w = Math.addExact(w, c[i]);
            long iterations = 0;
            while (true) {
                if (cap >= 0 && w >= cap) return cap;
                long next = extra;
                for (int i = 0; i < n; i++) {
                    next = Math.addExact(next, Math.multiplyExact(FixedPriorityAnalysis.ceilDiv(Math.addExact(w, j[i]), t[i]), c[i]));
                }
                if (next == w) return w;
                w = next;
                if (++iterations > WORK_LIMIT) return -1;
            }
        }

        /**
         * max(D'_max, ceil((extra + sum (T_i - D'_i) C_i / T_i) / (1 - U))) when U < 1, else -1.
         * Exact rational arithmetic: this runs once per analysis, not per step.
         */
        long laBound(long extra) {
            BigInteger num = BigInteger.valueOf(extra), den = BigInteger.ONE;   // extra + sum (T - D') C / T
            BigInteger uNum = BigInteger.ZERO, uDen = BigInteger.ONE; // U
            for (int i = 0; i < n; i++) {
                BigInteger ti = BigInteger.valueOf(t[i]), ci = BigInteger.valueOf(c[i]);
                num = num.multiply(ti).add(BigInteger.valueOf(t[i] - d[i]).multiply(ci).multiply(den));
                den = den.multiply(ti);
                uNum = uNum.multiply(ti).add(ci.multiply(uDen));
                uDen = uDen.multiply(ti);
            }
            BigInteger slackNum = uDen.subtract(uNum); // 1 - U = slackNum / uDen
            if (slackNum.signum() <= 0) return -1;
            // (num/den) / (slackNum/uDen) = num * uDen / (den * slackNum)
            BigInteger nn = num.multiply(uDen), dd = den.multiply(slackNum);
            long la = nn.signum() <= 0 ? 0 : nn.add(dd).subtract(BigInteger.ONE).divide(dd).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
            return Math.max(dMax, la);
        }

        /**
         * QPA from the horizon down (Zhang and Burns 2009, Theorem 5): 1 when the test holds, 0 when
         * it fails at {@code at[0]} with load {@code at[1]}, -1 when no horizon was found, -2 past the
         * work limit.
         */
        int qpa(long outageNs, long[] at, boolean reportAsHorizon) {
            // First from a quick La (no busy period, no big numbers): from any safe horizon QPA
            // finds a violation exactly when there is one. The violation it reports is the latest
            // one before its start, though, which may lie past the tight horizon: a report, and a
            // walk too long, are redone from the tight horizon of the class comment.
            long quick = quickLaBound(Math.addExact(outageNs, bMax));
            if (quick >= 0) {
                int r = qpaFrom(quick, outageNs, at);
                if (r == 1 || (r == 0 && !reportAsHorizon)) return r;
            }
            long l = horizon(outageNs);
            if (l < 0) return -1;
            return qpaFrom(l, outageNs, at);
        }

        /**
         * An upper bound on {@link #laBound} in floating point, or -1 when doubles cannot bound it
         * safely (1 - U below 1e-3, or beyond 2^60 ns). The sums carry an error below n 2^-52 times
         * the sum of the terms' magnitudes (charged at 1e-9 of it); divided by 1 - U >= 1e-3 that stays below 1e-6 for any n up to millions, so
         * inflating by 1e-6 and rounding up keeps it above the exact value.
         */
        long quickLaBound(long extra) {
            double u = 0, s = extra, magnitude = extra;
            for (int i = 0; i < n; i++) {
                double ui = (double) c[i] / t[i], term = (double) (t[i] - d[i]) * ui;
                u += ui;
                s += term;
                magnitude += Math.abs(term);
            }
            double slack = 1 - u;
            if (slack < 1e-3) return -1;
            // terms of both signs (D' > T) can cancel: allow an absolute error of the sum's magnitude
            double la = Math.max(0, s + 1e-9 * magnitude) / slack * (1 + 1e-6) + 1;
            if (!(la < 0x1p60)) return -1;
            return Math.max(dMax, (long) Math.ceil(la));
        }

        private int qpaFrom(long l, long outageNs, long[] at) {
            long x = deadlineBefore(Math.addExact(l, 1));
            long steps = 0;
            long h = load(x, outageNs);
            while (h <= x && h > dMin) {
                x = h < x ? h : deadlineBefore(x);
                h = load(x, outageNs);
                if (++steps > WORK_LIMIT) return -2;
            }
            at[0] = x;
            at[1] = h;
            return h <= dMin || x == 0 ? 1 : 0;
        }
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
