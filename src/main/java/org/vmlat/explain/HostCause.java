package org.vmlat.explain;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * What this machine did to a guest's QEMU thread while a guest wake-up was due: the thread could not run (preempted
 * while runnable, stopped, or woken and waiting for a CPU) for {@code durationNs} of the window.
 *
 * @param thread     the QEMU thread's name ({@code CPU 0/TCG}, {@code qemu-system-x86})
 * @param tid        its thread id on this machine
 * @param state      why it did not run
 * @param durationNs how much of the window it did not run: the overlap of {@code intervals} with the window
 * @param by         who had its CPU in its first interval in the window ({@code hackbench (pid 4711)}, as that
 *                   {@link Interval#by()}), empty when not seen
 * @param intervals  each time it did not run in this state, whole (it may begin before the window or end after it), in
 *                   time order; empty for host sides stored before vmlat kept them (only {@code durationNs} is known)
 */
public record HostCause(String thread, int tid, State state, long durationNs, String by, List<Interval> intervals) {
    /** Why a thread that had work did not run; stored as its words. */
    public enum State {
        /** switched out runnable: another task took its CPU */
        PREEMPTED("preempted"),
        /** switched out stopped: SIGSTOP, a frozen cgroup */
        STOPPED("stopped"),
        /** woken, not yet switched in */
        WAITING("waiting for a CPU");

        private final String words;

        State(String words) {
            this.words = words;
        }

        @JsonValue
        public String words() {
            return words;
        }

        /** @throws IllegalArgumentException for words no state has */
        @JsonCreator
        public static State of(String words) {
            for (State s : values()) if (s.words.equals(words)) return s;
            throw new IllegalArgumentException("state: expected preempted, stopped or waiting for a CPU, got \"" + words + "\"");
        }
    }

    /**
     * One stretch in which the thread did not run, on this machine's CLOCK_MONOTONIC.
     *
     * @param by who had its CPU: for {@link State#PREEMPTED} the task switched in when it was taken off, for
     *           {@link State#WAITING} the task it took the CPU from when it got it (the last holder: this machine's trace
     *           keeps only QEMU's threads' switches, not those of the tasks that ran meanwhile); empty when stopped, not
     *           seen, or woken onto an idle CPU
     */
    public record Interval(long fromHostNs, long toHostNs, String by) {
        public Interval {
            if (toHostNs <= fromHostNs) throw new IllegalArgumentException("interval ends (" + toHostNs + ") at or before it starts (" + fromHostNs + ")");
            if (by == null) throw new IllegalArgumentException("by must not be null (empty when not seen)");
        }

        /** How much of {@code [fromNs, toNs]} it covers. */
        public long overlapNs(long fromNs, long toNs) {
            return Math.max(0, Math.min(toHostNs, toNs) - Math.max(fromHostNs, fromNs));
        }
    }

    public HostCause {
        if (thread == null || thread.isBlank()) throw new IllegalArgumentException("thread must not be blank");
        if (state == null) throw new IllegalArgumentException("state must not be null");
        if (durationNs < 0) throw new IllegalArgumentException("durationNs must be >= 0, got " + durationNs);
        if (by == null) throw new IllegalArgumentException("by must not be null (empty when not seen)");
        intervals = intervals == null ? List.of() : List.copyOf(intervals);
        for (int i = 1; i < intervals.size(); i++) {
            if (intervals.get(i).fromHostNs() < intervals.get(i - 1).toHostNs()) {
                throw new IllegalArgumentException("intervals: interval " + i + " starts before the one before it ends");
            }
        }
    }

    /** A cause whose intervals are not known (as stored before vmlat kept them). */
    public HostCause(String thread, int tid, State state, long durationNs, String by) {
        this(thread, tid, state, durationNs, by, List.of());
    }

    /** Whether QEMU's name says a vCPU thread ({@code CPU 0/TCG}, {@code CPU 1/KVM}). */
    public static boolean vcpu(String thread) {
        return thread.startsWith("CPU ");
    }

    /** {@code preempted by hackbench (pid 4711)}, {@code stopped}, {@code waiting for a CPU held by hackbench (pid 4712)}. */
    public static String words(State state, String by) {
        return state.words() + (by.isEmpty() ? "" : state == State.WAITING ? " held by " + by : " by " + by);
    }

    /** {@code vCPU thread CPU 0/TCG not running for 781.0us: preempted by hackbench (pid 4711)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s thread %s not running for %.1fus: %s", vcpu(thread) ? "vCPU" : "QEMU", thread, durationNs / 1000.0,
                words(state, by));
    }
}
