package org.vmlat.sched;

/**
 * A sporadic task: at most one job every {@code periodNs}, each needing up to {@code wcetNs} of
 * processor time, due {@code deadlineNs} after its nominal release. All times are integer
 * nanoseconds.
 *
 * @param jitterNs   release jitter: a job may become ready up to this long after its nominal release
 * @param blockingNs longest time a job can wait for lower-priority work (non-preemptible sections)
 * @param priority   fixed priority, smaller = higher; ties are broken by position in the task set
 * @param vm         the virtual machine the task runs in, for hierarchical analysis ("" = none)
 */
public record Task(String name, long wcetNs, long periodNs, long deadlineNs, long jitterNs, long blockingNs,
                   int priority, String vm) {

    public Task {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("name: must not be empty");
        if (wcetNs <= 0) throw new IllegalArgumentException("wcet: must be > 0, got " + wcetNs + " ns");
        if (periodNs <= 0) throw new IllegalArgumentException("period: must be > 0, got " + periodNs + " ns");
        if (deadlineNs <= 0) throw new IllegalArgumentException("deadline: must be > 0, got " + deadlineNs + " ns");
        if (jitterNs < 0) throw new IllegalArgumentException("jitter: must be >= 0, got " + jitterNs + " ns");
        if (blockingNs < 0) throw new IllegalArgumentException("blocking: must be >= 0, got " + blockingNs + " ns");
        if (wcetNs > deadlineNs) {
            throw new IllegalArgumentException("wcet: " + wcetNs + " ns exceeds the deadline " + deadlineNs + " ns");
        }
        if (vm == null) vm = "";
    }

    /** A task with implicit deadline, no jitter or blocking. */
    public static Task of(String name, long wcetNs, long periodNs) {
        return new Task(name, wcetNs, periodNs, periodNs, 0, 0, 0, "");
    }

    public Task withJitter(long j) {
        return new Task(name, wcetNs, periodNs, deadlineNs, j, blockingNs, priority, vm);
    }

    public Task withBlocking(long b) {
        return new Task(name, wcetNs, periodNs, deadlineNs, jitterNs, b, priority, vm);
    }

    public Task withPriority(int p) {
        return new Task(name, wcetNs, periodNs, deadlineNs, jitterNs, blockingNs, p, vm);
    }
}
