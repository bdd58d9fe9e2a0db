package org.vmlat.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.vmlat.stats.LatencyBuckets.Bucket;

/**
 * Probabilistic worst case by block maxima (Gumbel 1958; Coles 2001, ch. 3), the second method
 * beside {@link PeaksOverThreshold}: the maxima of blocks of m activations are fitted by maximum
 * likelihood with a generalised extreme value distribution GEV(mu, sigma, xi); the latency
 * exceeded with probability p per activation is the block maximum's quantile at
 * {@code P(max <= x) = (1 - p)^m}. Maxima are bucketed like the samples, so the likelihood is
 * interval-censored in the same way.
 *
 * <p>Where the maxima come from:
 * <ul>
 *   <li>{@link #fitMaxima}: the observed maxima of consecutive blocks, when the sample order is
 *       known;</li>
 *   <li>{@link #fit}: a histogram has no order, so the maxima's distribution is derived from it
 *       under the i.i.d. assumption both methods make anyway: {@code P(max < x) = F(x)^m} with F
 *       the empirical distribution, weighted as n / m blocks. Blocks are {@code sqrt(n)}
 *       activations long.</li>
 * </ul>
 * Intervals come from a bootstrap of the maxima (or of the histogram), refitted.
 */
public final class BlockMaxima {
    /** Fewer blocks than this make no fit. */
    public static final int MIN_BLOCKS = 50;
    /** Blocks shorter than this are too short for the GEV to approximate their maximum. */
    public static final int MIN_BLOCK_SIZE = 100;

    private BlockMaxima() {}

    /** The block maxima implied by a histogram of i.i.d. activations, blocks of sqrt(n). */
    public static TailModel fit(LatencyBuckets data, int bootstrap, long seed) {
        long n = data.total();
        long m = Math.max(MIN_BLOCK_SIZE, Math.round(Math.sqrt(n)));
        long blocks = n / m;
        double[] counts = counts(data);
        return model(data, n, m, blocks, c -> maximaOfIid(data, c, m, blocks), counts, bootstrap, seed);
    }

    /**
     * Observed maxima of consecutive blocks of {@code blockSize} activations, bucketed as
     * {@code maxima} (e.g. {@code LatencyBuckets.of(histogram of the maxima, resolution, 0)}).
     */
    public static TailModel fitMaxima(LatencyBuckets maxima, long blockSize, int bootstrap, long seed) {
        if (blockSize < 1) throw new IllegalArgumentException("blockSize must be >= 1, got " + blockSize);
        long blocks = maxima.total();
        double[] counts = counts(maxima);
        return model(maxima, Math.multiplyExact(blocks, blockSize), blockSize, blocks, c -> cells(maxima, c), counts, bootstrap, seed);
    }

    private interface CellMaker {
        double[][] cells(double[] bucketCounts);
    }

    private static TailModel model(LatencyBuckets data, long n, long m, long blocks, CellMaker maker, double[] counts, int bootstrap,
                                   long seed) {
        if (blocks < MIN_BLOCKS || m < MIN_BLOCK_SIZE) {
            return new TailModel(TailModel.Method.BLOCK_MAXIMA, n, Math.min(blocks, n), 0, m, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, "too few data", Double.POSITIVE_INFINITY, data.resolutionNs(), List.of());
        }
        double[][] cells = maker.cells(counts);
        if (cells[0].length < 3) {
            return new TailModel(TailModel.Method.BLOCK_MAXIMA, n, blocks, 0, m, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    Double.NaN, "too few data", Double.POSITIVE_INFINITY, data.resolutionNs(), List.of());
        }
        GeneralisedExtremeValue fit = mle(cells, null);
        double[] mid = new double[cells[0].length];
        for (int i = 0; i < mid.length; i++) mid[i] = Double.isInfinite(cells[1][i]) ? cells[0][i] : (cells[0][i] + cells[1][i]) / 2;
        double qq = QuantilePlot.correlation(mid, cells[2], position -> fit.atMinusLogCdf(-Math.log(position)));
        String verdict = qq >= PeaksOverThreshold.GOOD_FIT ? "good" : "poor";

        SplittableRandom rnd = new SplittableRandom(seed);
        double[] p = PeaksOverThreshold.PROBABILITIES;
        double[][] boot = new double[p.length][bootstrap];
        long total = Math.round(Arrays.stream(counts).sum());
        for (int r = 0; r < bootstrap; r++) {
            double[] c = Arrays.stream(Resampling.multinomial(counts, total, rnd)).asDoubleStream().toArray();
            GeneralisedExtremeValue g = mle(maker.cells(c), fit); // starting at the estimate: resamples lie near it
            for (int q = 0; q < p.length; q++) boot[q][r] = latency(g, m, p[q]);
        }
        List<TailModel.Quantile> quantiles = new ArrayList<>();
        for (int q = 0; q < p.length; q++) {
            double[] s = boot[q];
            Arrays.sort(s);
            quantiles.add(new TailModel.Quantile(p[q], latency(fit, m, p[q]),
                    bootstrap == 0 ? Double.NaN : s[(int) Math.floor(0.025 * (bootstrap - 1))],
                    bootstrap == 0 ? Double.NaN : s[(int) Math.ceil(0.975 * (bootstrap - 1))],
                    p[q] * n < 1 / TailModel.EXTRAPOLATION_LIMIT));
        }
        double endpoint = fit.xi() < -GeneralisedPareto.EXPONENTIAL ? fit.mu() - fit.sigma() / fit.xi() : Double.POSITIVE_INFINITY;
        return new TailModel(TailModel.Method.BLOCK_MAXIMA, n, blocks, 0, m, Double.NaN, fit.xi(), fit.sigma(), fit.mu(), qq, verdict,
                endpoint, data.resolutionNs(), quantiles);
    }

    /** The latency exceeded with probability p per activation: P(block max &lt;= x) = (1 - p)^m; +infinity for xi &gt;= 1. */
    static double latency(GeneralisedExtremeValue g, long m, double p) {
        if (!(g.xi() < 1)) return Double.POSITIVE_INFINITY;
        double x = g.atMinusLogCdf(-m * Math.log1p(-p));
        return Double.isNaN(x) ? Double.POSITIVE_INFINITY : x;
    }

    /** @param near a fit to start from, or null */
    static GeneralisedExtremeValue mle(double[][] cells, GeneralisedExtremeValue near) {
        // start from the Gumbel with the maxima's mean and standard deviation (method of moments)
        double w = 0, s = 0, ss = 0;
        for (int i = 0; i < cells[0].length; i++) {
            double x = Double.isInfinite(cells[1][i]) ? cells[0][i] : (cells[0][i] + cells[1][i]) / 2;
            w += cells[2][i];
            s += cells[2][i] * x;
            ss += cells[2][i] * x * x;
        }
        double mean = s / w, sd = Math.sqrt(Math.max(0, ss / w - mean * mean));
        double scale = Math.max(1, sd * Math.sqrt(6) / Math.PI);
        double mu = mean - 0.5772 * scale;
        double[] p = CensoredFit.maximise(GeneralisedExtremeValue.family(scale), cells[0], cells[1], cells[2],
                near == null ? new double[] {mu / scale, 0, 0.1} : new double[] {near.mu() / scale, Math.log(near.sigma() / scale), near.xi()},
                new double[] {0.5, 0.5, 0.2});
        return new GeneralisedExtremeValue(p[0] * scale, Math.exp(p[1]) * scale, p[2]);
    }

    private static double[] counts(LatencyBuckets data) {
        double[] c = new double[data.buckets().size() + 1];
        for (int i = 0; i < data.buckets().size(); i++) c[i] = data.buckets().get(i).count();
        c[c.length - 1] = data.aboveCount();
        return c;
    }

    /** Cells {low[], high[], weight[]} of observed maxima with these bucket counts. */
    private static double[][] cells(LatencyBuckets maxima, double[] counts) {
        List<double[]> out = new ArrayList<>();
        List<Bucket> b = maxima.buckets();
        for (int i = 0; i < b.size(); i++) if (counts[i] > 0) out.add(new double[] {b.get(i).lowNs(), b.get(i).highNs(), counts[i]});
        if (counts[b.size()] > 0) out.add(new double[] {maxima.aboveFromNs(), Double.POSITIVE_INFINITY, counts[b.size()]});
        return transpose(out);
    }

    /**
     * Cells of the maximum of m i.i.d. draws from the buckets with these counts, weighted as
     * {@code blocks} maxima: bucket j gets {@code blocks (F_j^m - F_(j-1)^m)}, F_j the fraction at or
     * below its upper edge. Cells with a negligible weight (below 1e-3 of a block) are left out.
     */
    private static double[][] maximaOfIid(LatencyBuckets data, double[] counts, long m, long blocks) {
        double n = Arrays.stream(counts).sum();
        List<double[]> out = new ArrayList<>();
        List<Bucket> b = data.buckets();
        double seen = 0, previous = 0; // previous = F_(j-1)^m
        for (int j = 0; j <= b.size(); j++) {
            seen += counts[j];
            double f = Math.min(1, seen / n), fm = Math.exp(m * Math.log(f));
            double weight = blocks * (fm - previous);
            previous = fm;
            if (weight < 1e-3) continue;
            out.add(j < b.size() ? new double[] {b.get(j).lowNs(), b.get(j).highNs(), weight}
                    : new double[] {data.aboveFromNs(), Double.POSITIVE_INFINITY, weight});
        }
        return transpose(out);
    }

    /**
     * Rows {low, high, weight}, with contiguous rows merged into cells no wider than 2 % of the
     * spread of the maxima once there are more than {@link PeaksOverThreshold.Cells#MERGE_ABOVE}:
     * the likelihood loses nothing measurable and each fit runs over hundreds of cells.
     */
    private static double[][] transpose(List<double[]> rows) {
        if (rows.size() > PeaksOverThreshold.Cells.MERGE_ABOVE) {
            double w = 0, s = 0, ss = 0;
            for (double[] r : rows) {
                double x = Double.isInfinite(r[1]) ? r[0] : (r[0] + r[1]) / 2;
                w += r[2];
                s += r[2] * x;
                ss += r[2] * x * x;
            }
            double width = 0.02 * Math.sqrt(Math.max(0, ss / w - (s / w) * (s / w)));
            List<double[]> merged = new ArrayList<>();
            for (double[] r : rows) {
                double[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && last[1] == r[0] && r[1] - last[0] <= width) {
                    last[1] = r[1];
                    last[2] += r[2];
                } else {
                    merged.add(r.clone());
                }
            }
            rows = merged;
        }
        double[][] t = new double[3][rows.size()];
        for (int i = 0; i < rows.size(); i++) for (int k = 0; k < 3; k++) t[k][i] = rows.get(i)[k];
        return t;
    }
}
