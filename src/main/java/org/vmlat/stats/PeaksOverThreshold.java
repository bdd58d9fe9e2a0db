package org.vmlat.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.stats.LatencyBuckets.Bucket;

/**
 * Probabilistic worst case of a latency distribution by peaks over threshold (Pickands 1975;
 * Coles, "An Introduction to Statistical Modeling of Extreme Values", 2001, ch. 4): the excesses
 * of the latencies over a high threshold u are fitted by maximum likelihood with a generalised
 * Pareto distribution GPD(xi, sigma); the latency exceeded with probability p per activation is
 * {@code u + sigma / xi ((zeta / p)^xi - 1)} (or {@code u + sigma ln(zeta / p)} for xi = 0), with
 * zeta the fraction of activations above u.
 *
 * <p>Latencies are known only to within their buckets ({@link LatencyBuckets}: whole
 * microseconds for cyclictest, HdrHistogram's 3 digits otherwise), so the likelihood is
 * interval-censored: a bucket [a, b) above u contributes {@code count * log(F(b - u) - F(a - u))}
 * of the GPD. The threshold is a bucket's lower edge, so that every bucket lies wholly above or
 * wholly below it. Fitting bucket values as if exact underestimates the tail badly when the
 * bucket width is not small against sigma (a 1 us bucket against a 5 us scale halved the 1e-9
 * quantile).
 *
 * <p>Confidence intervals come from a nonparametric bootstrap: the number of exceedances is
 * redrawn (binomial over all samples), then the exceedances over the buckets (multinomial), and
 * each resample is refitted.
 *
 * <p>Assumptions, stated in the output and docs: the activations' latencies are independent and
 * identically distributed, the run is stationary, and the tail above u follows a GPD (checked by
 * the Q-Q correlation).
 */
public final class PeaksOverThreshold {
    public static final double[] PROBABILITIES = {1e-6, 1e-9, 1e-12};
    /** Fewer exceedances than this make no fit. */
    public static final int MIN_EXCEEDANCES = 50;
    /** Q-Q correlation of a "good" fit. */
    public static final double GOOD_FIT = 0.99;

    private PeaksOverThreshold() {}

    /** A histogram of exact values (resolution 1 ns): see {@link #fit(LatencyBuckets, double, int, long)}. */
    public static TailModel fit(AbstractHistogram h, double thresholdQuantile, int bootstrap, long seed) {
        return fit(LatencyBuckets.of(h), thresholdQuantile, bootstrap, seed);
    }

    /**
     * @param thresholdQuantile the quantile used as threshold, e.g. 0.99: u is the lowest bucket
     *                          edge with at most a fraction 1 - thresholdQuantile of the samples at
     *                          or above it (lowered to keep {@link #MIN_EXCEEDANCES})
     */
    public static TailModel fit(LatencyBuckets data, double thresholdQuantile, int bootstrap, long seed) {
        if (!(thresholdQuantile > 0 && thresholdQuantile < 1)) {
            throw new IllegalArgumentException("thresholdQuantile must be in (0, 1), got " + thresholdQuantile);
        }
        long n = data.total();
        List<Bucket> b = data.buckets();
        long allowed = (long) Math.floor((1 - thresholdQuantile) * n);
        long k = data.aboveCount();
        int first = b.size();
        while (first > 0 && (k + b.get(first - 1).count() <= allowed || k < MIN_EXCEEDANCES)) {
            first--;
            k += b.get(first).count();
        }
        long u = first < b.size() ? b.get(first).lowNs() : data.aboveFromNs();
        Cells cells = Cells.above(data, first, u);
        double zeta = n == 0 ? 0 : (double) k / n;
        // a "tail" of more than half the samples is the body: too few data for a tail fit
        if (k < MIN_EXCEEDANCES || 2 * k > n || cells.size() < 3) {
            return new TailModel(TailModel.Method.PEAKS_OVER_THRESHOLD, n, k, u, 0, zeta, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, "too few data", Double.POSITIVE_INFINITY, data.resolutionNs(), List.of());
        }
        GeneralisedPareto fit = mle(cells, cells.weight, null);
        double qq = qqCorrelation(cells, fit);
        String verdict = qq >= GOOD_FIT ? "good" : "poor";

        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] boot = new double[PROBABILITIES.length][bootstrap];
        for (int r = 0; r < bootstrap; r++) {
            long kb = Resampling.binomial(n, zeta, rnd);
            double[] w = Arrays.stream(Resampling.multinomial(cells.weight, kb, rnd)).asDoubleStream().toArray();
            GeneralisedPareto g = mle(cells, w, fit); // starting at the estimate: resamples lie near it
            for (int q = 0; q < PROBABILITIES.length; q++) boot[q][r] = latency(u, (double) kb / n, g, PROBABILITIES[q]);
        }
        List<TailModel.Quantile> quantiles = new ArrayList<>();
        for (int q = 0; q < PROBABILITIES.length; q++) {
            double[] s = boot[q];
            Arrays.sort(s);
            double p = PROBABILITIES[q];
            quantiles.add(new TailModel.Quantile(p, latency(u, zeta, fit, p),
                    bootstrap == 0 ? Double.NaN : s[(int) Math.floor(0.025 * (bootstrap - 1))],
                    bootstrap == 0 ? Double.NaN : s[(int) Math.ceil(0.975 * (bootstrap - 1))],
                    p * n < 1 / TailModel.EXTRAPOLATION_LIMIT));
        }
        double endpoint = fit.xi() < -GeneralisedPareto.EXPONENTIAL ? u - fit.sigma() / fit.xi() : Double.POSITIVE_INFINITY;
        return new TailModel(TailModel.Method.PEAKS_OVER_THRESHOLD, n, k, u, 0, zeta, fit.xi(), fit.sigma(), Double.NaN, qq, verdict,
                endpoint, data.resolutionNs(), quantiles);
    }

    /** The latency exceeded with probability p per activation under GPD(xi, sigma) over u, exceeded with probability zeta. */
    public static double quantile(double u, double zeta, double xi, double sigma, double p) {
        if (p >= zeta) return u;
        return u + new GeneralisedPareto(xi, sigma).excessExceeded(p / zeta);
    }

    /** As {@link #quantile}, but +infinity for a shape of 1 or more (no finite mean: no usable bound). */
    static double latency(double u, double zeta, GeneralisedPareto g, double p) {
        if (!(g.xi() < 1)) return Double.POSITIVE_INFINITY;
        double x = quantile(u, zeta, g.xi(), g.sigma(), p);
        return Double.isNaN(x) ? Double.POSITIVE_INFINITY : x;
    }

    /** @param near a fit to start from, or null */
    static GeneralisedPareto mle(Cells c, double[] weight, GeneralisedPareto near) {
        double mean = 0, total = 0;
        for (int i = 0; i < c.size(); i++) {
            mean += weight[i] * c.mid(i);
            total += weight[i];
        }
        double scale = Math.max(1, mean / total);
        double[] p = CensoredFit.maximise(GeneralisedPareto.family(scale), c.low, c.high, weight, near == null ? new double[] {0.1, 0} : new double[] {near.xi(), Math.log(near.sigma() / scale)},
                new double[] {0.2, 0.5});
        return new GeneralisedPareto(p[0], Math.exp(p[1]) * scale);
    }

    /** Correlation between the cells' midpoints and the GPD quantiles at their plotting positions. */
    static double qqCorrelation(Cells c, GeneralisedPareto g) {
        double[] mid = new double[c.size()];
        for (int i = 0; i < mid.length; i++) mid[i] = c.mid(i);
        return QuantilePlot.correlation(mid, c.weight(), position -> g.excessExceeded(1 - position));
    }

    /**
     * The exceedances as excess intervals [low, high) over u with their counts. Beyond
     * {@link #MERGE_ABOVE} buckets, contiguous buckets are merged into cells no wider than 2 % of
     * the mean excess: the likelihood of the merged cell loses nothing measurable, and the fit
     * (repeated for every bootstrap resample) runs over hundreds of cells instead of thousands of
     * HdrHistogram buckets.
     */
    record Cells(double[] low, double[] high, double[] weight) {
        static final int MERGE_ABOVE = 400;

        int size() {
            return low.length;
        }

        /** A representative value of cell i (its lower edge for the open-ended cell). */
        double mid(int i) {
            return Double.isInfinite(high[i]) ? low[i] : (low[i] + high[i]) / 2;
        }

        static Cells above(LatencyBuckets data, int first, long u) {
            List<Bucket> b = data.buckets();
            double sum = 0, count = 0;
            for (int i = first; i < b.size(); i++) {
                sum += b.get(i).count() * ((b.get(i).lowNs() + b.get(i).highNs()) / 2.0 - u);
                count += b.get(i).count();
            }
            double width = count == 0 || b.size() - first <= MERGE_ABOVE ? 0 : 0.02 * sum / count;
            List<double[]> cells = new ArrayList<>();
            for (int i = first; i < b.size(); i++) {
                Bucket x = b.get(i);
                double lo = x.lowNs() - u, hi = x.highNs() - u;
                double[] last = cells.isEmpty() ? null : cells.get(cells.size() - 1);
                if (last != null && last[1] == lo && hi - last[0] <= width) {
                    last[1] = hi;
                    last[2] += x.count();
                } else {
                    cells.add(new double[] {lo, hi, x.count()});
                }
            }
            if (data.aboveCount() > 0) cells.add(new double[] {data.aboveFromNs() - u, Double.POSITIVE_INFINITY, data.aboveCount()});
            return new Cells(cells.stream().mapToDouble(c -> c[0]).toArray(), cells.stream().mapToDouble(c -> c[1]).toArray(),
                    cells.stream().mapToDouble(c -> c[2]).toArray());
        }
    }
}
