package org.vmlat.stats;

import java.util.List;

/**
 * A peaks-over-threshold fit of a latency tail: excesses over {@code thresholdNs} follow a
 * generalised Pareto distribution with shape {@code xi} and scale {@code sigmaNs}; a fraction
 * {@code exceedanceRate} of all activations exceed the threshold.
 *
 * @param fitQuality  correlation of the fit's Q-Q plot (1 = perfect)
 * @param verdict     "good", "poor" (Q-Q correlation below 0.99: the tail is not GPD-like above
 *                    this threshold) or "too few data"
 * @param quantiles   latency exceeded with each probability per activation, with a bootstrap
 *                    confidence interval
 */
public record TailModel(long samples, long exceedances, long thresholdNs, double exceedanceRate, double xi, double sigmaNs,
                        double fitQuality, String verdict, List<Quantile> quantiles) {

    /** The latency exceeded with probability {@code probability} per activation, and its CI. */
    public record Quantile(double probability, double valueNs, double lowNs, double highNs) {}
}
