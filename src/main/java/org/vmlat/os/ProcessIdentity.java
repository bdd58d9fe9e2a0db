package org.vmlat.os;

import java.util.Optional;

/**
 * A process named so that a recycled pid is never mistaken for it: its pid together with its
 * start time in clock ticks since boot (field 22 of /proc/PID/stat). Written as {@code PID-START}
 * in the names and records of vmlat's state folder.
 */
public record ProcessIdentity(long pid, long startTicks) {
    public ProcessIdentity {
        if (pid <= 0) throw new IllegalArgumentException("pid: must be > 0, got " + pid);
        if (startTicks < 0) throw new IllegalArgumentException("startTicks: must be >= 0, got " + startTicks);
    }

    private static final ProcessIdentity SELF = of(ProcessHandle.current().pid())
            .orElseThrow(() -> new IllegalStateException("/proc/self/stat is not readable"));

    /** This JVM. */
    public static ProcessIdentity self() {
        return SELF;
    }

    /** The process running now under {@code pid}, if any. */
    public static Optional<ProcessIdentity> of(long pid) {
        long start = ProcessGroups.startTime(pid);
        return start < 0 ? Optional.empty() : Optional.of(new ProcessIdentity(pid, start));
    }

    /** Parses {@code PID-START}; empty for anything else (a foreign file in the state folder). */
    public static Optional<ProcessIdentity> parse(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0) return Optional.empty();
        try {
            long pid = Long.parseLong(text.substring(0, dash));
            long start = Long.parseLong(text.substring(dash + 1));
            return pid > 0 && start >= 0 ? Optional.of(new ProcessIdentity(pid, start)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether this very process still runs (same pid and the same start time). */
    public boolean isAlive() {
        return ProcessGroups.startTime(pid) == startTicks;
    }

    @Override
    public String toString() {
        return pid + "-" + startTicks;
    }
}
