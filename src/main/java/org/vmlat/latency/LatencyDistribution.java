package org.vmlat.latency;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * The samples of one or more measurement threads as vmlat reads percentiles from them, and the
 * one rule every percentile vmlat prints follows ({@code runs show}, {@code report}, HTML,
 * exports, {@code compare}).
 *
 * <p><b>Which sample is the p-quantile.</b> Of the {@code N} samples in the distribution
 * actually read — the histogram's buckets plus the overflow samples that lay beyond the
 * histogram's range — the p-quantile ({@code 0 <= p <= 100}) is the {@code r}-th smallest with
 * {@code r = max(1, ceil(p/100 * N))}, computed exactly in decimal (p99.9 of 6000 samples is the
 * 5994th). Overflow samples count above every bucket. A thread's {@code count} as its source
 * printed it plays no part: cyclictest's last live {@code T:} line can lag its histogram.
 *
 * <p><b>What value is reported.</b> Each bucket holds samples {@code lower <= L < lower + width}:
 * for cyclictest without {@code -N} the bucket is cyclictest's own whole microsecond (it
 * truncates, so a printed v means {@code v <= L < v + 1 us}), for ns sources HdrHistogram's
 * bucket (width 1 ns below 2048 ns, then at most 0.1 % of the value). The p-quantile is reported
 * as the largest value in the source's unit inside the bucket that holds the r-th sample, never
 * above the maximum: for whole-microsecond data that is the v cyclictest printed (the bucket's
 * lower edge, {@code v <= L < v + 1 us}); for ns data HdrHistogram's highest equivalent value,
 * never below the sample and at most 0.1 % above it. A quantile that falls among the overflows
 * is reported as the maximum (the truth lies between the histogram's last bucket and the
 * maximum). Whole microseconds are recovered exactly from HdrHistogram while its buckets are
 * narrower than 1 us (values below about 2 ms); above, a bucket spans every microsecond
 * HdrHistogram merged into it and the largest is reported.
 *
 * <p>Buckets are indexed in increasing order; index {@link #overflowIndex()} is the slot of the
 * overflow samples, so a resample of {@link #counts()} (e.g. a bootstrap) is read with the same
 * rule through {@link #indexAtRank}. Merging threads of different resolutions orders their
 * buckets by lower edge.
 */
public final class LatencyDistribution {
    private final long[] lowerNs;
    private final long[] widthNs;
    private final long[] reportedNs;
    private final long[] counts; // one more slot than buckets: the overflows
    private final long total;
    private final long minNs;
    private final long maxNs;
    private final long overflowFromNs;
    private final long resolutionNs;

    private LatencyDistribution(long[] lowerNs, long[] widthNs, long[] reportedNs, long[] counts, long minNs, long maxNs,
                                long overflowFromNs, long resolutionNs) {
        this.lowerNs = lowerNs;
        this.widthNs = widthNs;
        this.reportedNs = reportedNs;
        this.counts = counts;
        long n = 0;
        for (long c : counts) n = Math.addExact(n, c);
        this.total = n;
        this.minNs = minNs;
        this.maxNs = maxNs;
        this.overflowFromNs = overflowFromNs;
        this.resolutionNs = resolutionNs;
    }

    /** One thread's histogram, overflows, min and max. */
    public static LatencyDistribution of(ThreadResult t) {
        return of(List.of(t));
    }

    /** The samples of several threads pooled (a scenario's threads). */
    public static LatencyDistribution of(List<ThreadResult> threads) {
        TreeMap<Long, long[]> buckets = new TreeMap<>(); // lower -> {width, count, reported}
        long overflows = 0, min = Long.MAX_VALUE, max = Long.MIN_VALUE, overflowFrom = Long.MAX_VALUE, resolution = 1;
        for (ThreadResult t : threads) {
            long top = add(buckets, t.histogram(), t.resolutionNs());
            if (t.count() > 0 || t.histogram().getTotalCount() > 0) {
                min = Math.min(min, t.minNs());
                max = Math.max(max, t.maxNs());
            }
            if (t.histogramOverflows() > 0) {
                overflows += t.histogramOverflows();
                overflowFrom = Math.min(overflowFrom, top >= 0 ? top : t.minNs());
            }
            resolution = Math.max(resolution, t.resolutionNs());
        }
        return build(buckets, overflows, min, max, overflowFrom, resolution);
    }

    /**
     * A bare histogram whose values were recorded as multiples of {@code resolutionNs} (1 for
     * exact nanoseconds), without overflows; its min and max are those of its buckets.
     */
    public static LatencyDistribution of(AbstractHistogram h, long resolutionNs) {
        if (resolutionNs <= 0) throw new IllegalArgumentException("resolutionNs must be > 0, got " + resolutionNs);
        TreeMap<Long, long[]> buckets = new TreeMap<>();
        add(buckets, h, resolutionNs);
        long min = buckets.isEmpty() ? 0 : buckets.firstKey();
        long max = buckets.isEmpty() ? 0 : buckets.lastEntry().getValue()[2];
        return build(buckets, 0, min, max, Long.MAX_VALUE, resolutionNs);
    }

    /** Adds h's buckets; returns the upper edge of its highest bucket, -1 when empty. */
    private static long add(TreeMap<Long, long[]> buckets, AbstractHistogram h, long resolutionNs) {
        long top = -1;
        for (HistogramIterationValue v : h.recordedValues()) {
            long value = v.getValueIteratedTo();
            long hdrLow = h.lowestEquivalentValue(value), hdrNext = h.nextNonEquivalentValue(value);
            // values were recorded as multiples of the resolution: the bucket runs from the first
            // multiple in HdrHistogram's bucket to one resolution past the last one
            long low = Math.floorDiv(hdrLow + resolutionNs - 1, resolutionNs) * resolutionNs;
            long high = Math.floorDiv(hdrNext - 1, resolutionNs) * resolutionNs + resolutionNs;
            long reported = high - resolutionNs; // the largest multiple inside
            if (high <= low) { // no multiple inside: not recorded at this resolution, keep HdrHistogram's edges
                low = hdrLow;
                high = hdrNext;
                reported = hdrNext - 1;
            }
            long[] b = buckets.computeIfAbsent(low, k -> new long[3]);
            b[0] = Math.max(b[0], high - low);
            b[1] += v.getCountAtValueIteratedTo();
            b[2] = Math.max(b[2], reported);
            top = Math.max(top, high);
        }
        return top;
    }

    private static LatencyDistribution build(TreeMap<Long, long[]> buckets, long overflows, long min, long max,
                                             long overflowFrom, long resolution) {
        int n = buckets.size();
        long[] lower = new long[n], width = new long[n], reported = new long[n], counts = new long[n + 1];
        int i = 0;
        for (Map.Entry<Long, long[]> e : buckets.entrySet()) {
            lower[i] = e.getKey();
            width[i] = e.getValue()[0];
            counts[i] = e.getValue()[1];
            reported[i] = e.getValue()[2];
            i++;
        }
        counts[n] = overflows;
        if (min == Long.MAX_VALUE) {
            min = 0;
            max = 0;
        }
        return new LatencyDistribution(lower, width, reported, counts, min, max, overflowFrom == Long.MAX_VALUE ? max : overflowFrom, resolution);
    }

    /**
     * The rank of the p-quantile among n samples: {@code max(1, ceil(p/100 * n))}, exact (no
     * binary floating-point rounding of p).
     */
    public static long rank(double percentile, long n) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in 0..100, got " + percentile);
        }
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        long r = BigDecimal.valueOf(percentile).multiply(BigDecimal.valueOf(n))
                .divide(BigDecimal.valueOf(100)).setScale(0, RoundingMode.CEILING).longValueExact();
        return Math.max(1, r);
    }

    /** N: the samples in the buckets plus the overflows. */
    public long count() {
        return total;
    }

    /** Samples beyond the histogram's range. */
    public long overflows() {
        return counts[counts.length - 1];
    }

    /** Whether buckets are known (without them no percentile can be read). */
    public boolean hasBuckets() {
        return lowerNs.length > 0;
    }

    /** The coarsest resolution of the pooled sources (1 ns, 1000 ns for cyclictest without -N). */
    public long resolutionNs() {
        return resolutionNs;
    }

    /** A copy of the counts per bucket, the overflows in the last slot ({@link #overflowIndex()}). */
    public long[] counts() {
        return counts.clone();
    }

    /** The index of the overflow slot, one past the last bucket. */
    public int overflowIndex() {
        return lowerNs.length;
    }

    /**
     * The index of the bucket holding the {@code rank}-th smallest sample when the buckets (and
     * overflow slot) hold {@code counts} — this distribution's own or a resample of them.
     */
    public int indexAtRank(long[] counts, long rank) {
        if (counts.length != this.counts.length) {
            throw new IllegalArgumentException("counts must have " + this.counts.length + " slots, got " + counts.length);
        }
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) return i;
        }
        return counts.length - 1;
    }

    /** The value reported for a quantile that falls in bucket {@code index} (see the class doc). */
    public long valueNs(int index) {
        if (index == overflowIndex()) return maxNs;
        return Math.min(maxNs, Math.max(minNs, reportedNs[index]));
    }

    /** The smallest value a sample in bucket {@code index} can have. */
    public long lowerBoundNs(int index) {
        if (index == overflowIndex()) return Math.min(maxNs, overflowFromNs);
        return Math.max(minNs, lowerNs[index]);
    }

    /** A value every sample in bucket {@code index} is strictly below. */
    public long upperBoundNs(int index) {
        if (index == overflowIndex()) return maxNs + resolutionNs;
        return lowerNs[index] + widthNs[index];
    }

    /**
     * The p-quantile (0..100) by the rule of the class doc, in ns; -1 when no bucket is known
     * (no samples, only summary figures, or every sample beyond the histogram's range).
     */
    public long quantileNs(double percentile) {
        if (!hasBuckets() || total == 0) return -1;
        return valueNs(indexAtRank(counts, rank(percentile, total)));
    }
}
