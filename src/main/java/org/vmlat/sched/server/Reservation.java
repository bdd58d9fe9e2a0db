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

    /**
     * The longest interval in which the reservation may supply nothing: budget at the start of
     * one period and at the deadline of the next, Π + D − 2Θ; 2(Π − Θ) for the periodic
     * resource (D = Π). A wake-up inside the VM can be delayed by it on top of the latency the VM
     * has with a whole CPU.
     */
    public long blackoutNs() {
        return Math.addExact(periodNs, deadlineNs) - 2 * budgetNs;
    }

    /** The fraction of one CPU the reservation takes. */
    public double bandwidth() {
        return (double) budgetNs / periodNs;
    }
}
