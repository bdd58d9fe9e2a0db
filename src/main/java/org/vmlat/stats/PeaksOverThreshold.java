package org.vmlat.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Probabilistic worst case of a latency distribution by peaks over threshold (Pickands 1975;
 * Coles, "An Introduction to Statistical Modeling of Extreme Values", 2001, ch. 4): the excesses
 * of the latencies over a high threshold u are fitted by maximum likelihood with a generalised
 * Pareto distribution GPD(xi, sigma); the latency exceeded with probability p per activation is
 * {@code u + sigma / xi ((zeta / p)^xi - 1)} (or {@code u + sigma ln(zeta / p)} for xi = 0), with
 * zeta the fraction of activations above u. Confidence intervals come from a bootstrap of the
 * excesses (refitting each resample).
 *
 * <p>Assumptions, stated in the output and docs: the activations' latencies are independent and
 * identically distributed (a periodic task on a quiet system; bursts of correlated spikes break
 * this), the run is stationary, and the tail above u follows a GPD (checked by the Q-Q
 * correlation). Values come from the histogram, i.e. within HdrHistogram's 0.1 % precision.
 */
public final class PeaksOverThreshold {
    public static final double[] PROBABILITIES = {1e-6, 1e-9, 1e-12};
    /** Fewer exceedances than this make no fit. */
    public static final int MIN_EXCEEDANCES = 50;

    private PeaksOverThreshold() {}

    /**
     * @param thresholdQuantile the quantile used as threshold, e.g. 0.99 (at least
     *                          {@link #MIN_EXCEEDANCES} exceedances are kept by lowering it)
     */
    public static TailModel fit(AbstractHistogram h, double thresholdQuantile, int bootstrap, long seed) {
        long n = h.getTotalCount();
        List<double[]> pairs = new ArrayList<>();
        for (HistogramIterationValue v : h.recordedValues()) {
            pairs.add(new double[] {h.medianEquivalentValue(v.getValueIteratedTo()), v.getCountAtValueIteratedTo()});
        }
        long u = h.getValueAtPercentile(thresholdQuantile * 100);
        long above = n - countAtOrBelow(pairs, u);
        if (above < MIN_EXCEEDANCES && n > MIN_EXCEEDANCES) {
            // lower the threshold until enough values lie above it
            for (int i = pairs.size() - 1; i >= 0 && above < MIN_EXCEEDANCES; i--) {
                u = (long) pairs.get(i)[0] - 1;
                above = n - countAtOrBelow(pairs, u);
            }
        }
        List<double[]> excess = new ArrayList<>();
        for (double[] p : pairs) if (p[0] > u) excess.add(new double[] {p[0] - u, p[1]});
        double[] values = excess.stream().mapToDouble(p -> p[0]).toArray();
        long[] counts = excess.stream().mapToLong(p -> (long) p[1]).toArray();
        long k = Arrays.stream(counts).sum();
        if (k < MIN_EXCEEDANCES || values.length < 3) {
            return new TailModel(n, k, u, n == 0 ? 0 : (double) k / n, Double.NaN, Double.NaN, Double.NaN, "too few data", List.of());
        }
        double zeta = (double) k / n;
        double[] fit = mle(values, counts);
        double qq = qqCorrelation(values, counts, fit[0], fit[1]);
        String verdict = qq >= 0.99 ? "good" : "poor";
        // bootstrap: resample the exceedances (multinomial over the distinct excess values)
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] boot = new double[PROBABILITIES.length][bootstrap];
        double[] weights = new double[counts.length];
        for (int i = 0; i < counts.length; i++) weights[i] = counts[i];
        for (int b = 0; b < bootstrap; b++) {
            long[] rc = Resampling.multinomial(weights, k, rnd);
            double[] bf = mle(values, rc);
            for (int q = 0; q < PROBABILITIES.length; q++) boot[q][b] = quantile(u, zeta, bf[0], bf[1], PROBABILITIES[q]);
        }
        List<TailModel.Quantile> quantiles = new ArrayList<>();
        for (int q = 0; q < PROBABILITIES.length; q++) {
            double[] s = boot[q];
            Arrays.sort(s);
            quantiles.add(new TailModel.Quantile(PROBABILITIES[q], quantile(u, zeta, fit[0], fit[1], PROBABILITIES[q]),
                    bootstrap == 0 ? Double.NaN : s[(int) Math.floor(0.025 * (bootstrap - 1))],
                    bootstrap == 0 ? Double.NaN : s[(int) Math.ceil(0.975 * (bootstrap - 1))]));
        }
        return new TailModel(n, k, u, zeta, fit[0], fit[1], qq, verdict, quantiles);
    }

    public static double quantile(double u, double zeta, double xi, double sigma, double p) {
        if (p >= zeta) return u;
        return Math.abs(xi) < 1e-9 ? u + sigma * Math.log(zeta / p) : u + sigma / xi * (Math.pow(zeta / p, xi) - 1);
    }

    /** Maximum-likelihood (xi, sigma) of a GPD for weighted excesses y (all > 0). */
    static double[] mle(double[] y, long[] w) {
        double mean = 0, total = 0;
        for (int i = 0; i < y.length; i++) {
            mean += y[i] * w[i];
            total += w[i];
        }
        mean /= total;
        final double scale = mean;
        MultivariateFunction nll = x -> {
            double xi = x[0], sigma = Math.exp(x[1]) * scale;
            double l = 0;
            for (int i = 0; i < y.length; i++) {
                if (w[i] == 0) continue;
                double z = 1 + xi * y[i] / sigma;
                if (z <= 0) return Double.MAX_VALUE / 4;
                l += w[i] * (Math.log(sigma) + (Math.abs(xi) < 1e-12 ? y[i] / sigma : (1 / xi + 1) * Math.log(z)));
            }
            return l;
        };
        SimplexOptimizer opt = new SimplexOptimizer(1e-12, 1e-12);
        PointValuePair best = opt.optimize(new MaxEval(20_000), new ObjectiveFunction(nll), GoalType.MINIMIZE,
                new InitialGuess(new double[] {0.1, 0}), new NelderMeadSimplex(new double[] {0.2, 0.5}));
        return new double[] {best.getPoint()[0], Math.exp(best.getPoint()[1]) * scale};
    }

    /** Correlation between the sorted excesses and the GPD quantiles at their plotting positions. */
    static double qqCorrelation(double[] y, long[] w, double xi, double sigma) {
        long total = Arrays.stream(w).sum();
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        long seen = 0;
        for (int i = 0; i < y.length; i++) {
            if (w[i] == 0) continue;
            double mid = (seen + w[i] / 2.0) / total; // plotting position of this value's run
            seen += w[i];
            double model = Math.abs(xi) < 1e-9 ? -sigma * Math.log(1 - mid) : sigma / xi * (Math.pow(1 - mid, -xi) - 1);
            sx += w[i] * model;
            sy += w[i] * y[i];
            sxx += w[i] * model * model;
            syy += w[i] * y[i] * y[i];
            sxy += w[i] * model * y[i];
        }
        double cov = sxy / total - (sx / total) * (sy / total);
        double vx = sxx / total - Math.pow(sx / total, 2), vy = syy / total - Math.pow(sy / total, 2);
        return vx <= 0 || vy <= 0 ? 0 : cov / Math.sqrt(vx * vy);
    }

    private static long countAtOrBelow(List<double[]> pairs, long u) {
        long c = 0;
        for (double[] p : pairs) if (p[0] <= u) c += (long) p[1];
        return c;
    }
}
