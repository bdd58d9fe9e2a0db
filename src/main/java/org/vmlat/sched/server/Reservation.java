package org.vmlat.sched.server;

/**
 * The CPU reservation of one VM: {@code budgetNs} of CPU time every {@code periodNs}, delivered
 * within {@code deadlineNs} of each period's start ({@code vm} is "" for an unnamed task set).
 */
public record Reservation(String vm, long periodNs, long deadlineNs, long budgetNs) {
    public Reservation {
        if (vm == null) throw new IllegalArgumentException("vm must not be null (\"\" for a task set without VMs)");
        if (periodNs <= 0) throw new IllegalArgumentException("periodNs must be > 0, got " + periodNs);
        if (deadlineNs <= 0 || deadlineNs > periodNs) {
            throw new IllegalArgumentException("deadlineNs must be within 1.." + periodNs + " (the period), got " + deadlineNs);
        }
        if (budgetNs < 0 || budgetNs > deadlineNs) {
            throw new IllegalArgumentException("budgetNs must be within 0.." + deadlineNs + " (the deadline), got " + budgetNs);
        }
    }

    /** The fraction of one CPU the reservation takes. */
    public double bandwidth() {
        return (double) budgetNs / periodNs;
    }
}
