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
 *   <li>{@link #SUPPLY}: one outage. Once in any window, the processor is taken from the guest for
 *       at most L and that time is lost (a non-preemptible section <em>below</em> the guest: the
 *       host kernel or hypervisor holding the vCPU). The tasks' supply in a window of length t is
 *       {@code max(0, sbf(t) - L)}: {@code max(0, t - L)} on a dedicated processor ({@code analyze});
 *       on a periodic server ({@code design}) the server's own {@code sbf} minus L. Equivalently the
 *       demand plus L must fit the supply: a blocking term of L under fixed priority,
 *       {@code dbf(t) + B(t) + L <= t} under EDF. On a reservation that defers rather than loses a
 *       held-up budget (SCHED_DEADLINE keeps the runtime of a thread it could not run), the same
 *       rule also covers a budget that comes up to L late in <em>every</em> period, because that
 *       supply, {@code sbf(t - L)} (the EDP server with deadline Delta + L), is never below
 *       {@code sbf(t) - L}. It is optimistic when the time lost within one window can add up to more
 *       than L: repeated interruptions of a dedicated vCPU (host timer ticks, a co-scheduled VM,
 *       host interrupts every few ms) within one busy period. Then either give as L the total the
 *       host can take within the longest window analysed, or describe the host share as a server
 *       and use {@code design}.</li>
 *   <li>{@link #LATE_BUDGET}: a late budget every period. Each period's budget of a reservation may
 *       come up to L after the server deadline, deferred but not lost: a host that holds the vCPU
 *       thread up to L at a time and accounts that time elsewhere (SCHED_DEADLINE keeps the runtime
 *       of a thread it could not run; host interrupt time accounted apart, CONFIG_IRQ_TIME_ACCOUNTING).
 *       The server's supply is then {@code sbf(t - L)}, exactly the EDP server with deadline
 *       Delta + L. Never below SUPPLY's {@code sbf(t) - L}, so it asks for smaller budgets, and is
 *       optimistic when held-up time is charged to the reservation (then use SUPPLY). A dedicated
 *       processor has no budgets: there {@code sbf(t - L) = max(0, t - L)} and the two models
 *       coincide.</li>
 * </ul>
 */
public enum LatencyModel {
    JITTER, DEADLINE, SUPPLY, LATE_BUDGET;

    /** The outage L a dedicated processor suffers under this model (SUPPLY and LATE_BUDGET), else 0. */
    public long outageNs(long latencyNs) {
        return this == SUPPLY || this == LATE_BUDGET ? latencyNs : 0;
    }

    /**
     * The task set with L applied for the JITTER and DEADLINE models (SUPPLY and LATE_BUDGET are
     * applied to the supply by the analyses themselves). A deadline that L would make shorter than the WCET is kept at the WCET
     * and reported unschedulable by the caller through {@link #infeasible}.
     */
    public List<Task> apply(List<Task> tasks, long latencyNs) {
        if (latencyNs == 0 || this == SUPPLY || this == LATE_BUDGET) return tasks;
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
