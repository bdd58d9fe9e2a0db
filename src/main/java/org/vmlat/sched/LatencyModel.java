package org.vmlat.sched;

import java.util.ArrayList;
import java.util.List;

/**
 * How a measured wake-up latency L enters the analysis.
 *
 * <ul>
 *   <li>{@link #JITTER} (default): every job may become ready up to L after its nominal release:
 *       L is added to each task's release jitter. Right when L is the delay of the timer wake-up
 *       that releases the job (cyclictest's quantity): every task is affected, higher-priority
 *       jobs can bunch up, and response times are counted from the nominal release.</li>
 *   <li>{@link #DEADLINE}: each task must finish L before its deadline (D' = D - L). Simpler and
 *       less pessimistic, but it ignores that delayed higher-priority releases can bunch up; use it
 *       when only the analysed task's own start is delayed (e.g. a latency at the end of the chain,
 *       before the actuator).</li>
 *   <li>{@link #SUPPLY}: the processor itself is unavailable for up to L (the supply bound is
 *       max(0, t - L)): right for a non-preemptible section below the guest, e.g. the hypervisor or
 *       host kernel holding the vCPU. Under fixed priority this equals a blocking term of L.</li>
 * </ul>
 */
public enum LatencyModel {
    JITTER, DEADLINE, SUPPLY;

    /**
     * The task set with L applied for the JITTER and DEADLINE models (SUPPLY is applied by the
     * analyses themselves). A deadline that L would make shorter than the WCET is kept at the WCET
     * and reported unschedulable by the caller through {@link #infeasible}.
     */
    public List<Task> apply(List<Task> tasks, long latencyNs) {
        if (latencyNs == 0 || this == SUPPLY) return tasks;
        List<Task> out = new ArrayList<>(tasks.size());
        for (Task t : tasks) {
            if (this == JITTER) {
                out.add(t.withJitter(Math.addExact(t.jitterNs(), latencyNs)));
            } else {
                long d = Math.max(t.wcetNs(), t.deadlineNs() - latencyNs);
                out.add(new Task(t.name(), t.wcetNs(), t.periodNs(), d, t.jitterNs(), t.blockingNs(), t.priority(), t.vm()));
            }
        }
        return out;
    }

    /** Whether the DEADLINE model leaves task t no room at all. */
    public boolean infeasible(Task t, long latencyNs) {
        return this == DEADLINE && t.deadlineNs() - latencyNs < t.wcetNs();
    }
}
