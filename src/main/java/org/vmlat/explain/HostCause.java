package org.vmlat.explain;

/**
 * What this machine did to a guest's QEMU thread while a guest wake-up was due: the thread could not run (preempted
 * while runnable, or stopped) for {@code durationNs} of the window.
 *
 * @param thread     the QEMU thread's name ({@code CPU 0/TCG}, {@code qemu-system-x86})
 * @param tid        its thread id on this machine
 * @param state      {@code preempted} (runnable, another task had its CPU) or {@code stopped} (SIGSTOP, a frozen cgroup)
 * @param durationNs how much of the window it did not run
 * @param by         who had its CPU when it was taken off ({@code hackbench (pid 4711)}), empty when not seen
 */
public record HostCause(String thread, int tid, String state, long durationNs, String by) {
    public HostCause {
        if (thread == null || thread.isBlank()) throw new IllegalArgumentException("thread must not be blank");
        if (state == null || state.isBlank()) throw new IllegalArgumentException("state must not be blank");
        if (durationNs < 0) throw new IllegalArgumentException("durationNs must be >= 0, got " + durationNs);
        if (by == null) throw new IllegalArgumentException("by must not be null (empty when not seen)");
    }

    /** {@code vCPU thread CPU 0/TCG not running for 781.0us: preempted by hackbench (pid 4711)}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s thread %s not running for %.1fus: %s%s", thread.startsWith("CPU ") ? "vCPU" : "QEMU",
                thread, durationNs / 1000.0, state, by.isEmpty() ? "" : " by " + by);
    }
}
