package org.vmlat.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact response-time analysis for preemptive fixed-priority scheduling on one processor, with
 * release jitter, blocking and arbitrary deadlines (Tindell, Burns and Wellings, "An extendible
 * approach for analysing fixed priority hard real-time tasks", Real-Time Systems 6(2), 1994;
 * Lehoczky, "Fixed priority scheduling of periodic task sets with arbitrary deadlines", RTSS 1990).
 *
 * <p>For task i with higher-priority set hp(i), job q (0-based) of the level-i busy period
 * completes within the least fixed point of
 * {@code w = B_i + (q + 1) C_i + sum_{j in hp(i)} ceil((w + J_j) / T_j) C_j}, and its response time
 * from the nominal release is {@code w - q T_i + J_i}. The busy period ends with the first job q
 * whose completion comes before task i can release again, {@code w <= (q + 1) T_i - J_i}; the
 * task's worst-case response time is the maximum over the jobs up to it. All arithmetic is exact on longs (overflow is
 * reported, not wrapped).
 *
 * <p>A task that misses its deadline still gets its exact worst-case response time and the true
 * (negative) slack {@code D - R}: {@link #analyze} walks the whole level-i busy period rather than
 * stopping at the first late job, whose response is only a lower bound. When the utilisation of
 * priorities 0..i exceeds 1 the backlog grows without limit and the response time is unbounded,
 * which the verdict says (response time -1 with that reason). {@link #schedulable} only needs the
 * yes/no answer and stops at the first late job.
 */
public final class FixedPriorityAnalysis {
    /** Fixed-point iterations allowed per task before the analysis reports itself bounded. */
    public static final long WORK_LIMIT = 5_000_000;

    private FixedPriorityAnalysis() {}

    /** Analyses a task set given in priority order (highest first). */
    public static Verdict analyze(TaskSet set, long latencyNs, LatencyModel model) {
        Arrays a = Arrays.of(set, latencyNs, model);
        List<TaskVerdict> out = new ArrayList<>(a.n);
        boolean all = true, bounded = false;
        String note = "";
        int[] status = new int[1];
        for (int i = 0; i < a.n; i++) {
            Task t = set.get(i);
            if (model.infeasible(t, latencyNs)) {
                out.add(new TaskVerdict(t.name(), -1, false, -1, "deadline minus latency is shorter than the WCET"));
                all = false;
                continue;
            }
            long r = a.responseTime(i, status, false);
            Status st = STATUSES[status[0]];
            long deadline = a.d[i];
            boolean ok = st == Status.DONE && r <= deadline;
            String reason = switch (st) {
                case DONE -> ok ? "" : "response time exceeds the deadline";
                case MISS -> "response time " + r + " ns exceeds the deadline " + deadline + " ns by " + (r - deadline) + " ns";
                case OVERLOAD -> "response time unbounded: utilisation of this and higher priorities exceeds 1";
                case BOUNDED -> a.lateSeen > 0
                        ? "a job misses its deadline (response time at least " + a.lateSeen + " ns); the busy period outgrew "
                                + WORK_LIMIT + " iterations before the worst job was found"
                        : "analysis stopped after " + WORK_LIMIT + " iterations (busy period too long)";
                case OVERFLOW -> "times exceed the range of 64-bit nanoseconds";
            };
            if (st == Status.BOUNDED || st == Status.OVERFLOW) {
                bounded = true;
                note = t.name() + ": " + reason;
            }
            boolean known = st == Status.DONE || st == Status.MISS;
            out.add(new TaskVerdict(t.name(), known ? r : -1, ok, known ? deadline - r : -1, reason));
            all &= ok;
        }
        return new Verdict(Scheduler.FP, all, latencyNs, model, out, bounded, note);
    }

    /** Only the yes/no answer of {@link #analyze}, without building per-task verdicts (for sweeps). */
    public static boolean schedulable(TaskSet set, long latencyNs, LatencyModel model) {
        Arrays a = Arrays.of(set, latencyNs, model);
        int[] status = new int[1];
        for (int i = 0; i < a.n; i++) {
            if (model.infeasible(set.get(i), latencyNs)) return false;
            if (a.boundMeetsDeadline(i)) continue;
            long r = a.responseTime(i, status, true);
            if (status[0] != Status.DONE.ordinal() || r > a.d[i]) return false;
        }
        return true;
    }

    enum Status { DONE, MISS, OVERLOAD, BOUNDED, OVERFLOW }

    /** {@code Status.values()} once: it copies the array at every call. */
    private static final Status[] STATUSES = Status.values();

    /** The task parameters as primitive arrays, latency applied: the iteration touches nothing else. */
    private static final class Arrays {
        final int n;
        final long[] c, t, d, j, b;
        /** sum(C_k / T_k) over priorities 0..i in doubles, to decide the overload check in O(1). */
        final double[] uUpTo;
        /** sum(C_k (1 + J_k / T_k)) and sum((J_k + T_k) / T_k) over priorities 0..i: see {@link #boundMeetsDeadline}. */
        final double[] cjUpTo, stepsUpTo;
        /** sum(1 / T_k) over priorities 0..i. */
        final double[] invTUpTo;
        /**
         * Per task, the first job's completion in its level busy period without its own blocking
         * (w - B of job 0), once found, else -1. When B_i >= B_{i-1}, task i's equation is task
         * i - 1's plus C_i and B_i - B_{i-1} at every w, so its least fixed point is at least task
         * i - 1's, and then at least B_i + C_i plus that value: a start below the least fixed point,
         * hence the same fixed point in fewer iterations.
         */
        final long[] firstJobNoBlocking;
        /** The largest late response seen by the last call of {@link #responseTime} (0 = none). */
        long lateSeen;

        private Arrays(int n) {
            this.n = n;
            c = new long[n];
            t = new long[n];
            d = new long[n];
            j = new long[n];
            b = new long[n];
            uUpTo = new double[n];
            cjUpTo = new double[n];
            stepsUpTo = new double[n];
            invTUpTo = new double[n];
            firstJobNoBlocking = new long[n];
            java.util.Arrays.fill(firstJobNoBlocking, -1);
        }

        static Arrays of(TaskSet set, long latencyNs, LatencyModel model) {
            Arrays a = new Arrays(set.size());
            for (int i = 0; i < a.n; i++) {
                Task k = set.get(i);
                a.c[i] = k.wcetNs();
                a.t[i] = k.periodNs();
                a.d[i] = k.deadlineNs();
                a.j[i] = k.jitterNs();
                a.b[i] = k.blockingNs();
                switch (model) {
                    case JITTER -> a.j[i] = Math.addExact(a.j[i], latencyNs);
                    case DEADLINE -> a.d[i] = Math.max(a.c[i], a.d[i] - latencyNs);
                    case SUPPLY, LATE_BUDGET -> a.b[i] = Math.addExact(a.b[i], latencyNs); // one outage acts as blocking
                }
                a.uUpTo[i] = (i == 0 ? 0 : a.uUpTo[i - 1]) + (double) a.c[i] / a.t[i];
                double jt = (double) a.j[i] / a.t[i];
                a.cjUpTo[i] = (i == 0 ? 0 : a.cjUpTo[i - 1]) + a.c[i] * (1 + jt);
                a.stepsUpTo[i] = (i == 0 ? 0 : a.stepsUpTo[i - 1]) + jt + 1;
                a.invTUpTo[i] = (i == 0 ? 0 : a.invTUpTo[i - 1]) + 1.0 / a.t[i];
            }
            return a;
        }

        /**
         * The worst-case response time of task i and its status in {@code status[0]}: DONE (all jobs
         * on time), MISS (exact worst response, late), OVERLOAD, BOUNDED or OVERFLOW. With
         * {@code stopAtMiss} it returns at the first late job with that job's (lower-bound) response.
         */
        long responseTime(int i, int[] status, boolean stopAtMiss) {
            lateSeen = 0;
            try {
                return exact(i, status, stopAtMiss);
            } catch (ArithmeticException e) {
                status[0] = Status.OVERFLOW.ordinal();
                return -1;
            }
        }

        private long exact(int i, int[] status, boolean stopAtMiss) {
            if (!utilisationAtMostOne(i)) {
                status[0] = Status.OVERLOAD.ordinal();
                return -1;
            }
            long ci = c[i], ti = t[i], ji = j[i], di = d[i], bi = b[i];
            long worst = 0, iterations = 0;
            long hpOnce = 0; // every higher-priority task releases at least once in the window
            for (int k = 0; k < i; k++) hpOnce = Math.addExact(hpOnce, c[k]);
            long w = Math.addExact(bi, hpOnce) - ci;
            long firstFloor = i > 0 && bi >= b[i - 1] && firstJobNoBlocking[i - 1] > hpOnce ? firstJobNoBlocking[i - 1] : hpOnce;
            // Jobs q = 0, 1, ... of the level-i busy period; it ends with the first job that
            // completes before the next job of task i can be released, (q + 1) T_i - J_i.
            for (long q = 0; ; q++) {
                long base = Math.addExact(bi, Math.multiplyExact(q + 1, ci));
                // job q completes no earlier than job q - 1 plus C_i, nor before one job of every hp task
                w = Math.max(Math.addExact(w, ci), q == 0 ? Math.addExact(base, firstFloor) : base);
                long release = Math.multiplyExact(q, ti);
                long limit = Math.addExact(release, di) - ji; // w beyond this misses the deadline
                while (true) {
                    long next = base;
                    for (int k = 0; k < i; k++) {
                        next = Math.addExact(next, Math.multiplyExact(ceilDiv(Math.addExact(w, j[k]), t[k]), c[k]));
                    }
                    if (next == w) break;
                    w = next;
                    if (w > limit) {
                        lateSeen = Math.max(lateSeen, Math.addExact(w - release, ji));
                        if (stopAtMiss) {
                            status[0] = Status.MISS.ordinal();
                            return lateSeen;
                        }
                    }
                    if (++iterations > WORK_LIMIT) {
                        status[0] = Status.BOUNDED.ordinal();
                        return -1;
                    }
                }
                if (q == 0) firstJobNoBlocking[i] = w - bi;
                long r = Math.addExact(w - release, ji);
                if (r > di) {
                    lateSeen = Math.max(lateSeen, r);
                    if (stopAtMiss) {
                        status[0] = Status.MISS.ordinal();
                        return r;
                    }
                }
                worst = Math.max(worst, r);
                if (w <= Math.multiplyExact(q + 1, ti) - ji) {
                    status[0] = worst > di ? Status.MISS.ordinal() : Status.DONE.ordinal();
                    return worst;
                }
                if (++iterations > WORK_LIMIT) {
                    status[0] = Status.BOUNDED.ordinal();
                    return -1;
                }
            }
        }

        /**
         * Whether task i certainly meets its deadline, by a linear bound instead of the iteration
         * (for the yes/no answer only). Since ceil(x) < x + 1, the first job's equation is at most
         * {@code B_i + C_i + sum_{k<i} C_k (1 + J_k/T_k) + w U_hp}, so its least fixed point is at
         * most {@code W = (B_i + C_i + sum C_k (1 + J_k/T_k)) / (1 - U_hp)}. When W <= T_i - J_i the
         * busy period ends with that job, and when also W + J_i <= D_i the task is on time: the
         * exact iteration would answer yes. W is computed in doubles and enlarged by far more than
         * their rounding error (relative 1e-9, plus 1 ns). The bound is declined unless the exact
         * iteration would also have finished within its work limit (each step moves some
         * ceil((w + J_k) / T_k) up, so there are fewer steps than sum (W + J_k + T_k) / T_k).
         */
        boolean boundMeetsDeadline(int i) {
            if (uUpTo[i] >= 1 - 1e-6) return false;
            double uHp = i == 0 ? 0 : uUpTo[i - 1];
            double cj = i == 0 ? 0 : cjUpTo[i - 1];
            double w = (b[i] + c[i] + cj) / (1 - uHp);
            w = w * (1 + 1e-9) + 1;
            if (w > t[i] - j[i] || w + j[i] > d[i]) return false;
            double steps = i == 0 ? 0 : w * invTUpTo[i - 1] + stepsUpTo[i - 1];
            return steps < WORK_LIMIT / 2.0;
        }

        /** Exact sum(C_k / T_k) <= 1 over priorities 0..i; doubles decide unless within 1e-9 of 1. */
        private boolean utilisationAtMostOne(int i) {
            double u = uUpTo[i];
            if (u < 1 - 1e-9) return true;
            if (u > 1 + 1e-9) return false;
            java.math.BigInteger num = java.math.BigInteger.ZERO, den = java.math.BigInteger.ONE;
            for (int k = 0; k <= i; k++) {
                java.math.BigInteger tk = java.math.BigInteger.valueOf(t[k]);
                num = num.multiply(tk).add(java.math.BigInteger.valueOf(c[k]).multiply(den));
                den = den.multiply(tk);
            }
            return num.compareTo(den) <= 0;
        }
    }

    /** ceil(a / b) for a >= 0, b > 0: one division, no overflow. */
    static long ceilDiv(long a, long b) {
        long q = a / b;
        return a % b == 0 ? q : q + 1;
    }
}
