package org.vmlat.stats;

import java.util.List;

/**
 * An extreme-value fit of a latency tail and the latencies it predicts.
 *
 * <p>Peaks over threshold: excesses over {@code thresholdNs} follow a generalised Pareto
 * distribution with shape {@code xi} and scale {@code sigmaNs}; a fraction
 * {@code exceedanceRate} of all activations exceed the threshold; {@code fitted} is the number of
 * exceedances. Block maxima: the maxima of blocks of {@code blockSize} activations follow a GEV
 * with location {@code locationNs}, scale {@code sigmaNs} and shape {@code xi}; {@code fitted} is the
 * number of blocks. Both were fitted on intervals of width {@code resolutionNs} at most (see
 * {@link LatencyBuckets}): the censoring is part of the likelihood.
 *
 * @param fitQuality      correlation of the fit's Q-Q plot (1 = perfect)
 * @param verdict         "good", "poor" (Q-Q correlation below 0.99: the tail does not follow the
 *                        model) or "too few data"
 * @param upperEndpointNs the largest latency the fitted model allows (xi &lt; 0), else +infinity
 * @param quantiles       latency exceeded with each probability per activation, with a bootstrap
 *                        confidence interval
 */
public record TailModel(Method method, long samples, long fitted, long thresholdNs, long blockSize, double exceedanceRate,
                        double xi, double sigmaNs, double locationNs, double fitQuality, String verdict, double upperEndpointNs,
                        long resolutionNs, List<Quantile> quantiles) {

    /** The extreme-value method of a fit. */
    public enum Method {
        PEAKS_OVER_THRESHOLD("peaks over threshold", "GPD"),
        BLOCK_MAXIMA("block maxima", "GEV");

        public final String label;
        public final String distribution;

        Method(String label, String distribution) {
            this.label = label;
            this.distribution = distribution;
        }
    }

    /**
     * Beyond one in {@code EXTRAPOLATION_LIMIT} times the number of samples, a quantile is an
     * extrapolation of more than three decades past the data: it is flagged
     * ({@link Quantile#extrapolated}) and {@code analyze} refuses it as a bound.
     */
    public static final double EXTRAPOLATION_LIMIT = 1000;

    public TailModel {
        if (samples < 0) throw new IllegalArgumentException("samples must be >= 0, got " + samples);
        if (fitted < 0 || fitted > samples) throw new IllegalArgumentException("fitted must be in 0.." + samples + ", got " + fitted);
        if (resolutionNs <= 0) throw new IllegalArgumentException("resolutionNs must be > 0, got " + resolutionNs);
        quantiles = List.copyOf(quantiles);
    }

    public boolean usable() {
        return verdict.equals("good");
    }

    /** The quantile at exactly this probability, or null when it was not computed. */
    public Quantile at(double probability) {
        for (Quantile q : quantiles) if (q.probability() == probability) return q;
        return null;
    }

    /**
     * The latency exceeded with probability {@code probability} per activation, and its 95 %
     * bootstrap interval. A value is +infinity when the model gives no finite bound: the fitted
     * (or, for {@code highNs}, the bootstrap's) shape xi is at least 1, so the tail has no mean and
     * the number only reflects the extrapolated shape.
     *
     * @param extrapolated the probability lies below 1 / (EXTRAPOLATION_LIMIT x samples)
     */
    public record Quantile(double probability, double valueNs, double lowNs, double highNs, boolean extrapolated) {
        public Quantile {
            if (!(probability > 0 && probability < 1)) throw new IllegalArgumentException("probability must be in (0, 1), got " + probability);
        }

        public boolean bounded() {
            return Double.isFinite(valueNs) && !Double.isInfinite(highNs);
        }
    }
}
