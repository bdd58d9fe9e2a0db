package org.vmlat.explain;

import java.util.List;

/**
 * Why one wake-up was late: its latency split into {@code L = L¹ + L² + I} with the causes of each part.
 *
 * <p>Times are on CLOCK_MONOTONIC in nanoseconds. {@code expiresNs} is the probe's intended wake-up (the
 * {@code expires} of its {@code hrtimer_start}, equal to the deadline the probe passed to clock_nanosleep);
 * {@code timerIrqNs} when the interrupt that ran the timer's handler began; {@code wakeupNs} the
 * {@code sched_wakeup} of the probe's thread; {@code switchInNs} the {@code sched_switch} to it.
 *
 * @param thread          the probe's thread index, -1 when the trace alone found the spike
 * @param latencyNs       the latency the probe measured; when it did not keep this wake-up, the latency the
 *                        trace shows (switch-in minus expiry, without the return to user space)
 * @param measured        whether {@code latencyNs} is the probe's measurement
 * @param unattributedNs  {@code latencyNs - l1Ns - l2Ns - interferenceNs}: zero, or negative by the alignment error
 *                        when the trace's switch-in came after the probe's clock read (microsecond timestamps)
 * @param causes          what the CPU did, most time first; their durations add up to the three parts
 * @param trace           where the window's trace is kept, empty when it is not
 * @param timeline        what held the probe's CPU from the expiry to the clock read, in time order, each stretch in
 *                        the part it counts in; the stretches of a part add up to it. Empty when not kept (explanations
 *                        stored before it was)
 */
public record SpikeExplanation(int thread, int tid, int cpu, long expiresNs, long latencyNs, boolean measured,
                               long timerIrqNs, long wakeupNs, long switchInNs,
                               long l1Ns, long l2Ns, long interferenceNs, long unattributedNs,
                               List<Cause> causes, String trace, List<Segment> timeline) {
    /**
     * A stretch of the spike: from {@code fromNs} to {@code toNs} (CLOCK_MONOTONIC), {@code what} held the CPU (a
     * cause's {@link Cause#label()}), counted in {@code part}.
     */
    public record Segment(long fromNs, long toNs, Part part, String what) {
        public Segment {
            if (toNs < fromNs) throw new IllegalArgumentException("segment ends (" + toNs + ") before it starts (" + fromNs + ")");
            if (part == null) throw new IllegalArgumentException("part must not be null");
            if (what == null || what.isBlank()) throw new IllegalArgumentException("what must not be blank");
        }

        public long durationNs() {
            return toNs - fromNs;
        }
    }

    /** An explanation without its timeline. */
    public SpikeExplanation(int thread, int tid, int cpu, long expiresNs, long latencyNs, boolean measured, long timerIrqNs, long wakeupNs,
                            long switchInNs, long l1Ns, long l2Ns, long interferenceNs, long unattributedNs, List<Cause> causes, String trace) {
        this(thread, tid, cpu, expiresNs, latencyNs, measured, timerIrqNs, wakeupNs, switchInNs, l1Ns, l2Ns, interferenceNs, unattributedNs,
                causes, trace, List.of());
    }

    public SpikeExplanation {
        if (thread < -1) throw new IllegalArgumentException("thread must be >= -1, got " + thread);
        if (latencyNs < 0) throw new IllegalArgumentException("latencyNs must be >= 0, got " + latencyNs);
        if (l1Ns < 0 || l2Ns < 0 || interferenceNs < 0) {
            throw new IllegalArgumentException("parts must be >= 0, got l1Ns=" + l1Ns + " l2Ns=" + l2Ns + " interferenceNs=" + interferenceNs);
        }
        if (l1Ns + l2Ns + interferenceNs + unattributedNs != latencyNs) {
            throw new IllegalArgumentException("l1Ns + l2Ns + interferenceNs + unattributedNs must equal latencyNs " + latencyNs + ", got "
                    + l1Ns + " + " + l2Ns + " + " + interferenceNs + " + " + unattributedNs);
        }
        causes = List.copyOf(causes);
        long sum = 0;
        for (Cause c : causes) sum += c.durationNs();
        if (sum != l1Ns + l2Ns + interferenceNs) {
            throw new IllegalArgumentException("causes must add up to l1Ns + l2Ns + interferenceNs = " + (l1Ns + l2Ns + interferenceNs) + ", got " + sum);
        }
        if (trace == null) throw new IllegalArgumentException("trace must not be null (empty when not kept)");
        timeline = timeline == null ? List.of() : List.copyOf(timeline);
        if (!timeline.isEmpty()) {
            long[] byPart = new long[Part.values().length];
            for (int i = 0; i < timeline.size(); i++) {
                Segment seg = timeline.get(i);
                if (i > 0 && seg.fromNs() < timeline.get(i - 1).toNs()) {
                    throw new IllegalArgumentException("timeline: segment " + i + " starts before the one before it ends");
                }
                byPart[seg.part().ordinal()] += seg.durationNs();
            }
            // the fields are not assigned yet in a compact constructor: the parameters, in the order of Part
            long[] parts = {l1Ns, l2Ns, interferenceNs};
            for (Part p : Part.values()) {
                if (byPart[p.ordinal()] != parts[p.ordinal()]) {
                    throw new IllegalArgumentException("timeline: the " + p.symbol() + " segments add up to " + byPart[p.ordinal()] + " ns, not "
                            + parts[p.ordinal()]);
                }
            }
        }
    }

    /** The part's nanoseconds. */
    public long partNs(Part part) {
        return switch (part) {
            case TIMER_LATE -> l1Ns;
            case NON_PREEMPTIBLE -> l2Ns;
            case INTERFERENCE -> interferenceNs;
        };
    }

    /** The same explanation with its trace kept at {@code where}. */
    public SpikeExplanation withTrace(String where) {
        return new SpikeExplanation(thread, tid, cpu, expiresNs, latencyNs, measured, timerIrqNs, wakeupNs, switchInNs,
                l1Ns, l2Ns, interferenceNs, unattributedNs, causes, where, timeline);
    }
}
