package org.vmlat.sched;

/** The largest latency a task set tolerates, by binary search on the exact tests. */
public final class Sensitivity {
    private Sensitivity() {}

    /**
     * The largest L (ns) for which the set is schedulable under {@code model}, searched over
     * 0..max deadline with the exact test (schedulability is monotone in L: a test checks it).
     *
     * @return -1 when the set is not schedulable even with no latency
     */
    public static long maxTolerableLatency(TaskSet set, Scheduler scheduler, LatencyModel model) {
        if (!schedulable(set, scheduler, 0, model)) return -1;
        long lo = 0, hi = 0;
        for (Task t : set.tasks()) hi = Math.max(hi, t.deadlineNs());
        if (schedulable(set, scheduler, hi, model)) return hi;
        while (hi - lo > 1) { // invariant: schedulable at lo, not at hi
            long mid = lo + (hi - lo) / 2;
            if (schedulable(set, scheduler, mid, model)) lo = mid;
            else hi = mid;
        }
        return lo;
    }

    public static Verdict analyze(TaskSet set, Scheduler scheduler, long latencyNs, LatencyModel model) {
        return scheduler == Scheduler.FP ? FixedPriorityAnalysis.analyze(set, latencyNs, model)
                : EdfAnalysis.analyze(set, latencyNs, model);
    }

    public static boolean schedulable(TaskSet set, Scheduler s, long l, LatencyModel m) {
        return s == Scheduler.FP ? FixedPriorityAnalysis.schedulable(set, l, m) : EdfAnalysis.schedulable(set, l, m);
    }
}
