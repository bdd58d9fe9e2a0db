package org.vmlat.latency;

import java.util.Comparator;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;

/**
 * The latency measured by one periodic thread: its full distribution and the figures cyclictest
 * users read off a {@code T:} line.
 *
 * <p>Semantics. A sample is the wake-up latency {@code L = t' - t} of one activation in
 * nanoseconds, where {@code t} is the intended (absolute) wake-up time and {@code t'} the time
 * the thread observed on waking, both on CLOCK_MONOTONIC. {@code count} is the number of samples.
 * An <em>overrun</em> is a period that was skipped because the thread woke up after the
 * following activation was already due; like cyclictest, the thread then resumes at the next
 * deadline in the future instead of catching up, so overruns produce no samples and no
 * coordinated-omission correction is applied: {@code count + overruns} is the number of
 * periods that elapsed. {@code overruns} is -1 when the source does not tell (cyclictest skips
 * missed periods silently).
 *
 * <p>{@code resolutionNs} is the unit the source measured in: 1 for vmlat's builtin probe,
 * 1000 for cyclictest without {@code -N} (it truncates to whole microseconds, so a value v
 * means {@code v <= L < v + 1 us}). {@code histogramOverflows} counts samples the source saw
 * but could not place in its histogram (cyclictest {@code -h} beyond its last bucket); they are
 * included in count/min/max/mean but not in {@code histogram}.
 *
 * @param sumNs sum of all samples (exact mean = sumNs / count); for imported results that only
 *              carry a rounded mean, it is reconstructed as {@code round(mean * count)}
 */
public record ThreadResult(
        int thread,
        int cpu,
        long intervalNs,
        long resolutionNs,
        long count,
        long minNs,
        long maxNs,
        long sumNs,
        long overruns,
        long histogramOverflows,
        AbstractHistogram histogram,
        List<Spike> spikes) {

    public ThreadResult {
        if (thread < 0) throw new IllegalArgumentException("thread must be >= 0, got " + thread);
        if (intervalNs < 0) throw new IllegalArgumentException("intervalNs must be >= 0, got " + intervalNs);
        if (resolutionNs <= 0) throw new IllegalArgumentException("resolutionNs must be > 0, got " + resolutionNs);
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if (count > 0 && minNs > maxNs) {
            throw new IllegalArgumentException("minNs (" + minNs + ") > maxNs (" + maxNs + ")");
        }
        if (histogram == null) throw new IllegalArgumentException("histogram must not be null");
        spikes = spikes.stream()
                .sorted(Comparator.comparingLong(Spike::latencyNs).reversed()
                        .thenComparingLong(Spike::cycle))
                .toList();
    }

    /** Whether the full distribution is known (percentiles can be read). */
    public boolean hasDistribution() {
        return count > 0 && histogram.getTotalCount() > 0;
    }

    /** Mean latency in ns, or NaN without samples. */
    public double meanNs() {
        return count == 0 ? Double.NaN : (double) sumNs / count;
    }

    /**
     * The latency at the given percentile (0..100), in ns, by the one rule of
     * {@link LatencyDistribution}: the {@code ceil(p/100 * N)}-th smallest of the N samples in the
     * histogram plus its overflows (not {@link #count()}, which a source may print from an
     * earlier moment), reported in the source's unit: for a cyclictest source the whole
     * microsecond it printed ({@code v <= L < v + 1 us}), for ns sources HdrHistogram's highest
     * equivalent value (at most 0.1 % above the sample, never above {@code maxNs}); among the
     * overflows it is {@code maxNs}. Returns -1 when the distribution is unknown (no samples, or
     * a source such as cyclictest's {@code T:} line that gives only count/min/mean/max).
     */
    public long percentileNs(double percentile) {
        if (!hasDistribution()) return -1;
        return LatencyDistribution.of(this).quantileNs(percentile);
    }
}
