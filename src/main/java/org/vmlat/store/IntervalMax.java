package org.vmlat.store;

/**
 * The worst sample of one thread in one interval of a scenario (about a second, as the probe
 * reports its interval histograms), for the latency-over-time chart.
 *
 * @param startMs  start of the interval, epoch milliseconds
 * @param endMs    end of the interval, epoch milliseconds
 * @param count    samples in the interval
 * @param maxNs    largest sample in the interval (HdrHistogram's highest equivalent value), -1 without samples
 */
public record IntervalMax(int thread, int cpu, long startMs, long endMs, long count, long maxNs) {
    public IntervalMax {
        if (thread < 0) throw new IllegalArgumentException("thread must be >= 0, got " + thread);
        if (endMs < startMs) throw new IllegalArgumentException("endMs (" + endMs + ") must be >= startMs (" + startMs + ")");
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if (count > 0 && maxNs < 0) throw new IllegalArgumentException("maxNs must be >= 0 when count > 0, got " + maxNs);
    }
}
