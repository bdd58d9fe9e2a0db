package org.vmlat.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyDistribution;

/**
 * Two latency distributions compared percentile by percentile, with a bootstrap confidence
 * interval for each difference B - A.
 *
 * <p>Every percentile, of the data and of each resample, is read by the one rule of
 * {@link LatencyDistribution} (the ceil(p/100 N)-th sample, overflows above every bucket,
 * reported in the source's unit), so A and B are the figures {@code runs show} prints.
 * Each resample draws as many samples as the original from each distribution (a multinomial
 * over its buckets and overflow slot, drawn bucket by bucket with binomials).
 *
 * <p>Bucketed data. A percentile read from a bucket is known only to lie in that bucket: with
 * whole-microsecond data (cyclictest without {@code -N}) two distributions shifted by 0.2 us
 * have percentiles that differ by 0 or 1 us, and with many samples every resample agrees, so a
 * plain bootstrap collapses to a point that misses the truth. The interval therefore accounts
 * for the bucket widths, without assuming how samples spread inside a bucket: for each resample
 * the true difference lies strictly between {@code lower(B) - upper(A)} and
 * {@code upper(B) - lower(A)} (the bounds of the two buckets the percentiles fell in); the
 * interval runs from the {@code (1-level)/2} quantile of the first to the {@code (1+level)/2}
 * quantile of the second. For whole-microsecond data that widens the plain bootstrap interval by
 * 1 us on each side; for ns data by HdrHistogram's bucket width (at most 0.1 % of the value).
 * The point estimate is the difference of the reported percentiles.
 *
 * <p>The verdict at the chosen level: "better" (B lower, the interval below 0), "worse" (above
 * 0) or "indistinguishable" (the interval contains 0).
 */
public final class Comparison {
    public record Row(double percentile, double aNs, double bNs, double diffNs, double lowNs, double highNs, String verdict) {}

    private Comparison() {}

    /** Histograms of exact nanosecond values without overflows (e.g. the builtin probe's). */
    public static List<Row> compare(AbstractHistogram a, AbstractHistogram b, double[] percentiles, int resamples, double level, long seed) {
        return compare(LatencyDistribution.of(a, 1), LatencyDistribution.of(b, 1), percentiles, resamples, level, seed);
    }

    public static List<Row> compare(LatencyDistribution a, LatencyDistribution b, double[] percentiles, int resamples, double level, long seed) {
        if (a.count() == 0 || b.count() == 0 || !a.hasBuckets() || !b.hasBuckets()) {
            throw new IllegalArgumentException("an empty distribution cannot be compared");
        }
        long[] countsA = a.counts(), countsB = b.counts();
        double[] weightsA = weights(countsA), weightsB = weights(countsB);
        long na = a.count(), nb = b.count();
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] lows = new double[percentiles.length][resamples], highs = new double[percentiles.length][resamples];
        for (int r = 0; r < resamples; r++) {
            long[] ra = resample(weightsA, countsA.length, na, rnd), rb = resample(weightsB, countsB.length, nb, rnd);
            for (int p = 0; p < percentiles.length; p++) {
                int ia = a.indexAtRank(ra, LatencyDistribution.rank(percentiles[p], na));
                int ib = b.indexAtRank(rb, LatencyDistribution.rank(percentiles[p], nb));
                lows[p][r] = b.lowerBoundNs(ib) - a.upperBoundNs(ia);
                highs[p][r] = b.upperBoundNs(ib) - a.lowerBoundNs(ia);
            }
        }
        List<Row> rows = new ArrayList<>();
        double alpha = (1 - level) / 2;
        for (int p = 0; p < percentiles.length; p++) {
            long va = a.valueNs(a.indexAtRank(countsA, LatencyDistribution.rank(percentiles[p], na)));
            long vb = b.valueNs(b.indexAtRank(countsB, LatencyDistribution.rank(percentiles[p], nb)));
            double lo = Double.NaN, hi = Double.NaN;
            if (resamples > 0) {
                Arrays.sort(lows[p]);
                Arrays.sort(highs[p]);
                lo = lows[p][(int) Math.floor(alpha * (resamples - 1))];
                hi = highs[p][(int) Math.ceil((1 - alpha) * (resamples - 1))];
            }
            String verdict = hi < 0 ? "better" : lo > 0 ? "worse" : "indistinguishable";
            rows.add(new Row(percentiles[p], va, vb, vb - va, lo, hi, verdict));
        }
        return rows;
    }

    /** The counts as weights, without trailing empty slots (the multinomial puts its remainder in the last one). */
    private static double[] weights(long[] counts) {
        int used = counts.length;
        while (used > 1 && counts[used - 1] == 0) used--;
        double[] w = new double[used];
        for (int i = 0; i < used; i++) w[i] = counts[i];
        return w;
    }

    private static long[] resample(double[] weights, int slots, long n, SplittableRandom rnd) {
        return Arrays.copyOf(Resampling.multinomial(weights, n, rnd), slots);
    }

    static long binomial(long n, double p, SplittableRandom rnd) {
        return Resampling.binomial(n, p, rnd);
    }
}
