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
 */
public record SpikeExplanation(int thread, int tid, int cpu, long expiresNs, long latencyNs, boolean measured,
                               long timerIrqNs, long wakeupNs, long switchInNs,
                               long l1Ns, long l2Ns, long interferenceNs, long unattributedNs,
                               List<Cause> causes, String trace) {
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
                l1Ns, l2Ns, interferenceNs, unattributedNs, causes, where);
    }
}
