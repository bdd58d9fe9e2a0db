package org.vmlat.sched;

import java.util.List;

/**
 * A brute-force, tick-by-tick reference for small integer task sets: synchronous release (the
 * critical instant), no jitter, one processor, run over a whole hyperperiod plus the longest
 * deadline. Independent of the analyses it checks.
 */
final class Simulator {
    private Simulator() {}

    /** Worst response time per task under FP (tasks in priority order), or -1 if a job never finished. */
    static long[] fixedPriority(List<Task> tasks, long horizon) {
        int n = tasks.size();
        long[] worst = new long[n];
        java.util.ArrayDeque<long[]>[] pending = newQueues(n); // {release, remaining}
        for (long t = 0; t < horizon; t++) {
            for (int i = 0; i < n; i++) if (t % tasks.get(i).periodNs() == 0) pending[i].add(new long[] {t, tasks.get(i).wcetNs()});
            for (int i = 0; i < n; i++) {
                long[] job = pending[i].peek();
                if (job == null) continue;
                if (--job[1] == 0) {
                    pending[i].poll();
                    worst[i] = Math.max(worst[i], t + 1 - job[0]);
                }
                break;
            }
        }
        for (int i = 0; i < n; i++) if (!pending[i].isEmpty() && horizon - pending[i].peek()[0] > worst[i]) worst[i] = -1;
        return worst;
    }

    /** Whether the EDF demand h(t) <= t at every t up to the horizon (brute force over all t). */
    static boolean edfDemandOk(List<Task> tasks, long horizon) {
        for (long t = 1; t <= horizon; t++) {
            long h = 0;
            for (Task k : tasks) if (t >= k.deadlineNs()) h += ((t - k.deadlineNs()) / k.periodNs() + 1) * k.wcetNs();
            if (h > t) return false;
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static java.util.ArrayDeque<long[]>[] newQueues(int n) {
        java.util.ArrayDeque<long[]>[] q = new java.util.ArrayDeque[n];
        for (int i = 0; i < n; i++) q[i] = new java.util.ArrayDeque<>();
        return q;
    }

    static long lcm(List<Task> tasks) {
        long l = 1;
        for (Task t : tasks) l = l / gcd(l, t.periodNs()) * t.periodNs();
        return l;
    }

    static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
