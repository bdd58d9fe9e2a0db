package org.vmlat.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * Exact response-time analysis for preemptive fixed-priority scheduling on one processor, with
 * release jitter, blocking and arbitrary deadlines (Tindell, Burns and Wellings, "An extendible
 * approach for analysing fixed priority hard real-time tasks", Real-Time Systems 6(2), 1994;
 * Lehoczky, "Fixed priority scheduling of periodic task sets with arbitrary deadlines", RTSS 1990).
 *
 * <p>For task i with higher-priority set hp(i), the level-i busy period is the least fixed point
 * of {@code L = B_i + sum_{j in hp(i) + i} ceil((L + J_j) / T_j) C_j}; it holds
 * {@code Q = ceil((L + J_i) / T_i)} jobs of task i. Job q (0-based) completes within the least
 * fixed point of {@code w = B_i + (q + 1) C_i + sum_{j in hp(i)} ceil((w + J_j) / T_j) C_j}, and its
 * response time from the nominal release is {@code w - q T_i + J_i}. The task's worst-case
 * response time is the maximum over the Q jobs. All arithmetic is exact on longs (overflow is
 * reported, not wrapped).
 */
public final class FixedPriorityAnalysis {
    /** Fixed-point iterations allowed per task before the analysis reports itself bounded. */
    public static final long WORK_LIMIT = 5_000_000;

    private FixedPriorityAnalysis() {}

    /** Analyses a task set given in priority order (highest first). */
    public static Verdict analyze(TaskSet set, long latencyNs, LatencyModel model) {
        List<Task> tasks = model.apply(set.tasks(), latencyNs);
        long extraBlocking = model == LatencyModel.SUPPLY ? latencyNs : 0;
        List<TaskVerdict> out = new ArrayList<>(tasks.size());
        boolean all = true, bounded = false;
        String note = "";
        for (int i = 0; i < tasks.size(); i++) {
            Task t = tasks.get(i);
            if (model.infeasible(set.get(i), latencyNs)) {
                out.add(new TaskVerdict(t.name(), -1, false, -1, "deadline minus latency is shorter than the WCET"));
                all = false;
                continue;
            }
            Outcome o = responseTime(tasks, i, extraBlocking);
            long r = o.responseTimeNs;
            boolean ok = o.status == Status.DONE && r <= t.deadlineNs();
            String reason = switch (o.status) {
                case DONE -> ok ? "" : "response time exceeds the deadline";
                case MISS -> "a job misses its deadline (response time at least " + r + " ns)";
                case OVERLOAD -> "utilisation of this and higher priorities exceeds 1";
                case BOUNDED -> "analysis stopped after " + WORK_LIMIT + " iterations (busy period too long)";
                case OVERFLOW -> "times exceed the range of 64-bit nanoseconds";
            };
            if (o.status == Status.BOUNDED || o.status == Status.OVERFLOW) {
                bounded = true;
                note = t.name() + ": " + reason;
            }
            out.add(new TaskVerdict(t.name(), o.status == Status.DONE || o.status == Status.MISS ? r : -1, ok,
                    o.status == Status.DONE ? t.deadlineNs() - r : -1, reason));
            all &= ok;
        }
        return new Verdict(Scheduler.FP, all, latencyNs, model, out, bounded, note);
    }

    enum Status { DONE, MISS, OVERLOAD, BOUNDED, OVERFLOW }

    record Outcome(Status status, long responseTimeNs) {}

    /** Worst-case response time of task i among tasks[0..i] (higher priorities first). */
    static Outcome responseTime(List<Task> tasks, int i, long extraBlocking) {
        try {
            return responseTimeExact(tasks, i, extraBlocking);
        } catch (ArithmeticException e) {
            return new Outcome(Status.OVERFLOW, -1);
        }
    }

    private static Outcome responseTimeExact(List<Task> tasks, int i, long extraBlocking) {
        Task ti = tasks.get(i);
        long b = Math.addExact(ti.blockingNs(), extraBlocking);
        if (!levelUtilisationAtMostOne(tasks, i)) return new Outcome(Status.OVERLOAD, -1);
        // level-i busy period
        long busy = b;
        for (int j = 0; j <= i; j++) busy = Math.addExact(busy, tasks.get(j).wcetNs());
        long iterations = 0;
        while (true) {
            long next = b;
            for (int j = 0; j <= i; j++) {
                Task tj = tasks.get(j);
                next = Math.addExact(next, Math.multiplyExact(ceilDiv(Math.addExact(busy, tj.jitterNs()), tj.periodNs()), tj.wcetNs()));
            }
            if (next == busy) break;
            busy = next;
            if (++iterations > WORK_LIMIT) return new Outcome(Status.BOUNDED, -1);
        }
        long jobs = ceilDiv(Math.addExact(busy, ti.jitterNs()), ti.periodNs());
        long worst = 0;
        long w = b;
        for (long q = 0; q < jobs; q++) {
            // the completion of job q is at least that of job q-1 plus one more C_i
            w = Math.max(Math.addExact(w, ti.wcetNs()), Math.addExact(b, Math.multiplyExact(q + 1, ti.wcetNs())));
            long limit = Math.addExact(Math.subtractExact(Math.addExact(Math.multiplyExact(q, ti.periodNs()), ti.deadlineNs()), ti.jitterNs()), 0);
            while (true) {
                long next = Math.addExact(b, Math.multiplyExact(q + 1, ti.wcetNs()));
                for (int j = 0; j < i; j++) {
                    Task tj = tasks.get(j);
                    next = Math.addExact(next, Math.multiplyExact(ceilDiv(Math.addExact(w, tj.jitterNs()), tj.periodNs()), tj.wcetNs()));
                }
                if (next == w) break;
                w = next;
                if (w > limit) {
                    return new Outcome(Status.MISS, Math.addExact(w - Math.multiplyExact(q, ti.periodNs()), ti.jitterNs()));
                }
                if (++iterations > WORK_LIMIT) return new Outcome(Status.BOUNDED, -1);
            }
            long r = Math.addExact(w - Math.multiplyExact(q, ti.periodNs()), ti.jitterNs());
            worst = Math.max(worst, r);
            if (r > ti.deadlineNs()) return new Outcome(Status.MISS, r);
        }
        return new Outcome(Status.DONE, worst);
    }

    private static boolean levelUtilisationAtMostOne(List<Task> tasks, int i) {
        return new TaskSet(tasks.subList(0, i + 1)).utilisationAtMost(1, 1);
    }

    static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
