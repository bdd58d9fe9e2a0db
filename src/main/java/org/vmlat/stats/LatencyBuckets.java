package org.vmlat.stats;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * A latency sample as it is known: counts of samples in intervals [lowNs, highNs), not exact
 * values. Two coarsenings combine: HdrHistogram keeps 3 significant digits (a value of 200 us is
 * known to 128 ns), and a source that measures in whole units of {@code resolutionNs} truncates
 * (cyclictest without -N: a recorded 17 us means 17 us &lt;= L &lt; 18 us). Treating such data as
 * exact values biases a tail fit badly when the bucket width is not small against the tail's
 * scale; fits use these intervals instead (interval-censored likelihood).
 *
 * <p>Samples the source counted beyond its histogram ({@code aboveCount}) are known only to lie
 * at or above {@code aboveFromNs} (right-censored).
 */
public record LatencyBuckets(List<Bucket> buckets, long aboveCount, long aboveFromNs, long resolutionNs) {

    /** {@code count} samples with a latency in [lowNs, highNs). */
    public record Bucket(long lowNs, long highNs, long count) {
        public Bucket {
            if (lowNs < 0 || highNs <= lowNs) throw new IllegalArgumentException("bucket [" + lowNs + ", " + highNs + "): need 0 <= low < high");
            if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
    }

    public LatencyBuckets {
        buckets = List.copyOf(buckets);
        for (int i = 1; i < buckets.size(); i++) {
            if (buckets.get(i).lowNs() < buckets.get(i - 1).highNs()) {
                throw new IllegalArgumentException("buckets must be sorted and disjoint, got " + buckets.get(i - 1) + " then " + buckets.get(i));
            }
        }
        if (aboveCount < 0) throw new IllegalArgumentException("aboveCount must be >= 0, got " + aboveCount);
        if (resolutionNs <= 0) throw new IllegalArgumentException("resolutionNs must be > 0, got " + resolutionNs);
    }

    /**
     * The intervals of a histogram whose values were recorded in whole units of
     * {@code resolutionNs} (1 for the builtin probe, 1000 for cyclictest), plus {@code overflows}
     * samples beyond it.
     */
    public static LatencyBuckets of(AbstractHistogram h, long resolutionNs, long overflows) {
        List<Bucket> out = new ArrayList<>();
        for (HistogramIterationValue v : h.recordedValues()) {
            long lo = h.lowestEquivalentValue(v.getValueIteratedTo());
            long hi = h.highestEquivalentValue(v.getValueIteratedTo());
            // the recorded values in [lo, hi] are multiples of the resolution; each stands for [value, value + resolution)
            long first = ceilTo(lo, resolutionNs), last = hi / resolutionNs * resolutionNs;
            Bucket b = first <= last ? new Bucket(first, last + resolutionNs, v.getCountAtValueIteratedTo())
                    : new Bucket(lo, hi + resolutionNs, v.getCountAtValueIteratedTo());
            if (!out.isEmpty() && out.get(out.size() - 1).highNs() > b.lowNs()) {
                // a source whose values are not multiples of its stated resolution: merge overlapping intervals
                Bucket prev = out.remove(out.size() - 1);
                b = new Bucket(prev.lowNs(), Math.max(prev.highNs(), b.highNs()), prev.count() + b.count());
            }
            out.add(b);
        }
        long top = out.isEmpty() ? 0 : out.get(out.size() - 1).highNs();
        return new LatencyBuckets(out, overflows, top, resolutionNs);
    }

    /** A histogram of exact values (resolution 1 ns, no overflows). */
    public static LatencyBuckets of(AbstractHistogram h) {
        return of(h, 1, 0);
    }

    public long total() {
        long n = aboveCount;
        for (Bucket b : buckets) n += b.count();
        return n;
    }

    /** The widest interval: 1 for exact values, about the resolution for truncated ones. */
    public long widestNs() {
        long w = 0;
        for (Bucket b : buckets) w = Math.max(w, b.highNs() - b.lowNs());
        return w;
    }

    private static long ceilTo(long v, long unit) {
        return (v + unit - 1) / unit * unit;
    }
}
