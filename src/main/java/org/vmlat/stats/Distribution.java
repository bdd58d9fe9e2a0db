package org.vmlat.stats;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/** Points of a latency distribution for plotting: log-spaced histogram bins and the CCDF. */
public final class Distribution {
    /** A histogram bin [fromNs, toNs) with its count, or a CCDF point (x, fraction above x). */
    public record Point(double x, double x2, double y) {}

    private Distribution() {}

    /** Bins growing by {@code factor} from 1 us; empty bins are left out. */
    public static List<Point> logBins(AbstractHistogram h, double factor) {
        List<Point> out = new ArrayList<>();
        if (h.getTotalCount() == 0) return out;
        double lo = 1000;
        long max = h.getMaxValue();
        long below = h.getCountBetweenValues(0, 999);
        if (below > 0) out.add(new Point(0, 1000, below));
        while (lo <= max) {
            double hi = lo * factor;
            long c = h.getCountBetweenValues((long) Math.ceil(lo), (long) Math.ceil(hi) - 1);
            if (c > 0) out.add(new Point(lo, hi, c));
            lo = hi;
        }
        return out;
    }

    /** The complementary CDF: for each distinct recorded value x, the fraction of samples above x. */
    public static List<Point> ccdf(AbstractHistogram h) {
        List<Point> out = new ArrayList<>();
        long n = h.getTotalCount();
        if (n == 0) return out;
        long seen = 0;
        for (HistogramIterationValue v : h.recordedValues()) {
            seen += v.getCountAtValueIteratedTo();
            long above = n - seen;
            out.add(new Point(h.highestEquivalentValue(v.getValueIteratedTo()), 0, (double) above / n));
        }
        return out;
    }
}
