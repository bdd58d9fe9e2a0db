package org.vmlat.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * Milliseconds since this process started (its exec, for a program a launcher exec'd), from
     * /proc/uptime and the start ticks, or -1 when unreadable. Not ProcessHandle's startInstant:
     * that adds the ticks to /proc/stat's btime, which is whole seconds, and misplaces the start
     * by up to a second.
     */
    public long ageMs() {
        try {
            return ageMs(startTicks, Files.readString(Path.of("/proc/uptime")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The age for a /proc/uptime text ("seconds-since-boot idle-seconds"). */
    static long ageMs(long startTicks, String uptime) {
        String first = uptime.strip().split("\\s+")[0];
        long uptimeMs = new java.math.BigDecimal(first).movePointRight(3).longValue();
        // start ticks count USER_HZ, which the kernel's ABI fixes at 100 whatever its own HZ
        return uptimeMs - startTicks * 1000 / USER_HZ;
    }

    private static final long USER_HZ = 100;

    @Override
    public String toString() {
        return pid + "-" + startTicks;
    }
}
