package org.vmlat.latency;

/**
 * One of the worst wake-ups of a measurement thread.
 *
 * @param latencyNs   actual minus intended wake-up time, in nanoseconds
 * @param cycle       0-based index of the activation within the measured part of the run
 * @param expectedNs  the intended wake-up time on CLOCK_MONOTONIC (ns), so the spike can be
 *                    found in a kernel trace taken with the same clock; -1 when unknown
 *                    (e.g. imported from a cyclictest histogram, which keeps no timestamps)
 */
public record Spike(long latencyNs, long cycle, long expectedNs) {
    public Spike {
        if (latencyNs < 0) {
            throw new IllegalArgumentException("latencyNs must be >= 0, got " + latencyNs);
        }
    }
}
