package org.vmlat.stats;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/** Points of a latency distribution for plotting: log-spaced histogram bins and the CCDF. */
public final class Distribution {
    /** A histogram bin [fromNs, toNs) with its count, or a CCDF point (x, fraction at or above x). */
    public record Point(double x, double x2, double y) {}

    private Distribution() {}

    /**
     * Bins growing by {@code factor} from 1 us (or one resolution step when coarser), with edges on
     * multiples of {@code resolutionNs} and never narrower than it: on whole-microsecond data a
     * bin narrower than 1 us holds no possible value, and a row of such empty bins between full
     * ones draws a comb instead of a histogram. Samples below the first edge share one bin from
     * 0. A sample goes to the bin holding the smallest multiple of the resolution in its
     * HdrHistogram bucket (3 significant digits): for whole-µs data that is the value recorded
     * as long as buckets are narrower than 1 µs (below about 1 ms), and within 0.1 % beyond.
     * Empty bins are left out.
     */
    public static List<Point> logBins(AbstractHistogram h, double factor, long resolutionNs) {
        if (!(factor > 1)) throw new IllegalArgumentException("factor must be > 1, got " + factor);
        if (resolutionNs <= 0) throw new IllegalArgumentException("resolutionNs must be > 0, got " + resolutionNs);
        List<Point> out = new ArrayList<>();
        if (h.getTotalCount() == 0) return out;
        long max = h.getMaxValue();
        List<Long> edges = new ArrayList<>();
        long first = Math.max(1000, resolutionNs);
        first = (first + resolutionNs - 1) / resolutionNs * resolutionNs;
        edges.add(0L);
        for (long e = first; ; ) {
            edges.add(e);
            if (e > max) break;
            long next = (long) Math.ceil(e * factor);
            next = (next + resolutionNs - 1) / resolutionNs * resolutionNs;
            e = Math.max(next, e + resolutionNs);
        }
        long[] counts = new long[edges.size() - 1];
        int bin = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            long at = onResolution(h, v.getValueIteratedTo(), resolutionNs);
            while (bin < counts.length - 1 && at >= edges.get(bin + 1)) bin++;
            counts[bin] += v.getCountAtValueIteratedTo();
        }
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) out.add(new Point(edges.get(i), edges.get(i + 1), counts[i]));
        }
        return out;
    }

    /** The smallest multiple of the resolution in the bucket of {@code value}, or the bucket's lowest value when none is. */
    private static long onResolution(AbstractHistogram h, long value, long resolutionNs) {
        long lo = h.lowestEquivalentValue(value), hi = h.highestEquivalentValue(value);
        long m = (lo + resolutionNs - 1) / resolutionNs * resolutionNs;
        return m <= hi ? m : lo;
    }

    /**
     * The complementary CDF as the fraction of samples at or above x, P(X >= x), for each
     * distinct recorded value x (HdrHistogram's highest equivalent value). At or above, not
     * above: P(X > max) is 0, which a log axis cannot show, so the line would end at the
     * second-largest value; P(X >= max) = 1/n keeps the worst case on the chart.
     *
     * @param overflows samples outside the histogram (a cyclictest {@code -h} range), counted in
     *                  the total; they lie at or above the histogram's top and at or below
     *                  {@code maxNs}, so the line ends at (maxNs, 1/n) when there are any
     * @param maxNs     the largest sample, used only when there are overflows
     */
    public static List<Point> ccdf(AbstractHistogram h, long overflows, long maxNs) {
        if (overflows < 0) throw new IllegalArgumentException("overflows must be >= 0, got " + overflows);
        List<Point> out = new ArrayList<>();
        long n = h.getTotalCount() + overflows;
        if (n == 0) return out;
        long before = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            out.add(new Point(h.highestEquivalentValue(v.getValueIteratedTo()), 0, (double) (n - before) / n));
            before += v.getCountAtValueIteratedTo();
        }
        if (overflows > 0) out.add(new Point(Math.max(maxNs, h.getTotalCount() == 0 ? 0 : h.getMaxValue()), 0, 1.0 / n));
        return out;
    }

    /** The CCDF of a histogram that holds every sample. */
    public static List<Point> ccdf(AbstractHistogram h) {
        return ccdf(h, 0, 0);
    }
}
