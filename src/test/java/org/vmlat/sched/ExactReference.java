package org.vmlat.sched;

import java.util.List;

/**
 * Exact references for small integer task sets, written from the definitions in the papers and
 * sharing no code with the analyses they check:
 *
 * <ul>
 *   <li>EDF: the processor-demand criterion (Baruah, Rosier and Howell 1990) checked by brute force
 *       at every integer t up to D'_max plus the hyperperiod, with SRP blocking {@code max{B_i : D'_i <= t}}
 *       (Spuri/Baker) and a single supply outage L (supply {@code max(0, t - L)}). Past D'_max the
 *       slack t - dbf(t) - B - L repeats every hyperperiod when U = 1 and grows when U < 1, so this
 *       horizon is complete without any busy-period or La argument.</li>
 *   <li>FP: a tick-by-tick simulation of the level-i busy period from the critical instant
 *       (Lehoczky 1990; Tindell, Burns and Wellings 1994): every higher-priority task releases at 0
 *       and then as early as its jitter allows, task i's first job is ready at 0 after its full
 *       jitter, a lower-priority section blocks for B_i at 0, and every job of task i until the
 *       level-i processor first idles is followed to completion.</li>
 * </ul>
 */
final class ExactReference {
    private ExactReference() {}

    static long lcm(List<Task> tasks) {
        long l = 1;
        for (Task t : tasks) l = l / gcd(l, t.periodNs()) * t.periodNs();
        return l;
    }

    static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    /** Jobs of every task with release k T and deadline k T + D - J at most t, times C. */
    static long dbf(List<Task> tasks, long t) {
        long h = 0;
        for (Task k : tasks) {
            long jobs = 0;
            for (long r = 0; r + k.deadlineNs() - k.jitterNs() <= t; r += k.periodNs()) jobs++;
            h += jobs * k.wcetNs();
        }
        return h;
    }

    static long blocking(List<Task> tasks, long t) {
        long b = 0;
        for (Task k : tasks) if (k.deadlineNs() - k.jitterNs() <= t) b = Math.max(b, k.blockingNs());
        return b;
    }

    static long horizon(List<Task> tasks) {
        long dMax = 0;
        for (Task k : tasks) dMax = Math.max(dMax, k.deadlineNs() - k.jitterNs());
        return dMax + lcm(tasks);
    }

    static boolean utilisationAtMostOne(List<Task> tasks) {
        long h = lcm(tasks), work = 0;
        for (Task k : tasks) work += h / k.periodNs() * k.wcetNs();
        return work <= h;
    }

    /** EDF with blocking and one supply outage L: dbf(t) + B(t) <= max(0, t - L) at every t. */
    static boolean edfSchedulable(List<Task> tasks, long outageNs) {
        if (!utilisationAtMostOne(tasks)) return false;
        for (long t = 1, end = horizon(tasks); t <= end; t++) {
            long load = dbf(tasks, t) + blocking(tasks, t);
            if (load > Math.max(0, t - outageNs)) return false;
        }
        return true;
    }

    /** The first t at which the EDF test fails, or -1. */
    static long edfFirstViolation(List<Task> tasks, long outageNs) {
        for (long t = 1, end = horizon(tasks); t <= end; t++) {
            if (dbf(tasks, t) + blocking(tasks, t) > Math.max(0, t - outageNs)) return t;
        }
        return -1;
    }

    /** The first absolute deadline up to {@code end} at which the EDF test fails, -1 if none: for large times. */
    static long edfFirstViolationNs(List<Task> tasks, long outageNs, long end) {
        java.util.TreeSet<Long> deadlines = new java.util.TreeSet<>();
        for (Task k : tasks) for (long d = k.deadlineNs() - k.jitterNs(); d <= end; d += k.periodNs()) deadlines.add(d);
        for (long t : deadlines) if (dbf(tasks, t) + blocking(tasks, t) > Math.max(0, t - outageNs)) return t;
        return -1;
    }

    /**
     * The largest outage L in 0..maxL with which the EDF test passes, -1 if none: the least
     * {@code t - dbf(t) - B(t)} over the t with demand, capped at maxL.
     */
    static long edfLargestOutage(List<Task> tasks, long maxL) {
        if (!utilisationAtMostOne(tasks)) return -1;
        long best = maxL;
        for (long t = 1, end = horizon(tasks); t <= end; t++) {
            long load = dbf(tasks, t) + blocking(tasks, t);
            if (load > 0) best = Math.min(best, t - load);
        }
        return best < 0 ? -1 : best;
    }

    /** Marker results of {@link #fpResponseTime}. */
    static final long UNBOUNDED = -1, TOO_LONG = -2;

    /**
     * Worst-case response time of task i (tasks in priority order) from its nominal release,
     * with {@code extraBlocking} added to B_i: exact by simulation of the level-i busy period.
     * {@link #UNBOUNDED} when priorities 0..i demand more than the processor, {@link #TOO_LONG}
     * when the busy period exceeds {@code maxTicks}.
     */
    static long fpResponseTime(List<Task> tasks, int i, long extraBlocking, long maxTicks) {
        long h = lcm(tasks.subList(0, i + 1)), work = 0;
        for (int k = 0; k <= i; k++) work += h / tasks.get(k).periodNs() * tasks.get(k).wcetNs();
        if (work > h) return UNBOUNDED;
        int n = i + 1;
        long[] nextJob = new long[n];          // index of the next job to release, per task
        long[] remaining = new long[n];        // work left of pending jobs, per task (FIFO within a task)
        java.util.ArrayDeque<long[]> own = new java.util.ArrayDeque<>(); // task i: {nominal release, remaining}
        long blocker = tasks.get(i).blockingNs() + extraBlocking;
        long worst = 0;
        for (long s = 0; s < maxTicks; s++) {
            for (int k = 0; k < n; k++) {
                Task tk = tasks.get(k);
                while (Math.max(0, nextJob[k] * tk.periodNs() - tk.jitterNs()) <= s) {
                    if (k == i) own.add(new long[] {nextJob[k] * tk.periodNs() - tk.jitterNs(), tk.wcetNs()});
                    else remaining[k] += tk.wcetNs();
                    nextJob[k]++;
                }
            }
            boolean pending = blocker > 0 || !own.isEmpty();
            for (int k = 0; k < i; k++) pending |= remaining[k] > 0;
            if (!pending) return worst; // the level-i busy period is over
            if (blocker > 0) {
                blocker--;
                continue;
            }
            int run = -1;
            for (int k = 0; k < i && run < 0; k++) if (remaining[k] > 0) run = k;
            if (run >= 0) {
                remaining[run]--;
                continue;
            }
            long[] job = own.peek();
            if (--job[1] == 0) {
                own.poll();
                worst = Math.max(worst, s + 1 - job[0]);
            }
        }
        return TOO_LONG;
    }
}
