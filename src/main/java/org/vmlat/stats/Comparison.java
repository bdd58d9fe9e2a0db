package org.vmlat.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Two latency distributions compared percentile by percentile, with a bootstrap confidence
 * interval for each difference B - A: each resample draws as many samples as the original from
 * each histogram (a multinomial over its buckets, drawn bucket by bucket with binomials), and the
 * percentile of the resample is taken. The verdict at the chosen level: "better" (B lower, the
 * interval below 0), "worse" (above 0) or "indistinguishable" (the interval contains 0).
 */
public final class Comparison {
    public record Row(double percentile, double aNs, double bNs, double diffNs, double lowNs, double highNs, String verdict) {}

    private Comparison() {}

    public static List<Row> compare(AbstractHistogram a, AbstractHistogram b, double[] percentiles, int resamples, double level, long seed) {
        if (a.getTotalCount() == 0 || b.getTotalCount() == 0) throw new IllegalArgumentException("an empty distribution cannot be compared");
        double[][] bucketsA = buckets(a), bucketsB = buckets(b);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] diffs = new double[percentiles.length][resamples];
        for (int r = 0; r < resamples; r++) {
            long[] ra = resample(bucketsA, a.getTotalCount(), rnd), rb = resample(bucketsB, b.getTotalCount(), rnd);
            for (int p = 0; p < percentiles.length; p++) {
                diffs[p][r] = percentile(bucketsB[0], rb, percentiles[p]) - percentile(bucketsA[0], ra, percentiles[p]);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int p = 0; p < percentiles.length; p++) {
            double va = a.getValueAtPercentile(percentiles[p]), vb = b.getValueAtPercentile(percentiles[p]);
            double[] d = diffs[p];
            java.util.Arrays.sort(d);
            double alpha = (1 - level) / 2;
            double lo = resamples == 0 ? Double.NaN : d[(int) Math.floor(alpha * (resamples - 1))];
            double hi = resamples == 0 ? Double.NaN : d[(int) Math.ceil((1 - alpha) * (resamples - 1))];
            String verdict = hi < 0 ? "better" : lo > 0 ? "worse" : "indistinguishable";
            rows.add(new Row(percentiles[p], va, vb, vb - va, lo, hi, verdict));
        }
        return rows;
    }

    /** {values, counts} of the recorded buckets. */
    private static double[][] buckets(AbstractHistogram h) {
        List<double[]> l = new ArrayList<>();
        for (HistogramIterationValue v : h.recordedValues()) l.add(new double[] {h.medianEquivalentValue(v.getValueIteratedTo()), v.getCountAtValueIteratedTo()});
        double[][] out = new double[2][l.size()];
        for (int i = 0; i < l.size(); i++) {
            out[0][i] = l.get(i)[0];
            out[1][i] = l.get(i)[1];
        }
        return out;
    }

    static long[] resample(double[][] buckets, long n, SplittableRandom rnd) {
        return Resampling.multinomial(buckets[1], n, rnd);
    }

    static long binomial(long n, double p, SplittableRandom rnd) {
        return Resampling.binomial(n, p, rnd);
    }

    private static double percentile(double[] values, long[] counts, double percentile) {
        long n = 0;
        for (long c : counts) n += c;
        long rank = Math.max(1, (long) Math.ceil(percentile / 100 * n));
        long seen = 0;
        for (int i = 0; i < values.length; i++) {
            seen += counts[i];
            if (seen >= rank) return values[i];
        }
        return values[values.length - 1];
    }
}
