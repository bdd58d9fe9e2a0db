package org.vmlat.explain;

/**
 * One thing the CPU did during a spike, and how long it did it.
 *
 * @param part       the part of the latency it counts in
 * @param kind       what kind of context it was
 * @param name       a task's command name, an interrupt's {@code irq N name}, a softirq's action, a timer's
 *                   function, or what the kernel was doing for the probe
 * @param pid        the task's thread id; -1 for interrupts, softirqs, timers and the kernel's own work
 * @param prio       the task's kernel priority (lower is more urgent: 99 - rtprio for SCHED_FIFO, 120 for
 *                   nice 0); -1 when not a task or not known
 * @param durationNs how long, in nanoseconds
 */
public record Cause(Part part, Kind kind, String name, int pid, int prio, long durationNs) {
    public enum Kind {
        /** A task held the CPU. */
        TASK,
        /** A hardware interrupt handler ran. */
        IRQ,
        /** A softirq ran. */
        SOFTIRQ,
        /** Another hrtimer's handler ran in the timer interrupt. */
        TIMER,
        /** The kernel's own path for the probe: timer interrupt, wake-up, switch, return to user space. */
        KERNEL,
        /** The timer's interrupt had not come yet. */
        LATE_TIMER
    }

    public Cause {
        if (part == null) throw new IllegalArgumentException("part must not be null");
        if (kind == null) throw new IllegalArgumentException("kind must not be null");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name must not be blank, got '" + name + "'");
        if (pid < -1) throw new IllegalArgumentException("pid must be >= -1, got " + pid);
        if (prio < -1) throw new IllegalArgumentException("prio must be >= -1, got " + prio);
        if (durationNs < 0) throw new IllegalArgumentException("durationNs must be >= 0, got " + durationNs);
    }

    /** The same cause lasting {@code moreNs} longer. */
    Cause plus(long moreNs) {
        return new Cause(part, kind, name, pid, prio, durationNs + moreNs);
    }

    /** How a report names it: {@code hackbench (pid 4711, prio 120)}, {@code irq 36 virtio1-req.0}. */
    public String label() {
        if (kind == Kind.TASK) return name + " (pid " + pid + (prio >= 0 ? ", prio " + prio : "") + ")";
        return name;
    }
}
