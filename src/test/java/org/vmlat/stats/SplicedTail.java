package org.vmlat.stats;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.vmlat.latency.LatencyHistograms;

/**
 * A latency distribution with a known tail, written from the definitions (not from vmlat's
 * fitting code): with probability 1 - {@code TAIL} a lognormal body (median {@code MEDIAN_NS},
 * log-sd {@code LOG_SD}) truncated at its own (1 - TAIL)-quantile u0, and with probability
 * {@code TAIL} the excess over u0 of a generalised Pareto distribution GPD(xi, sigma). The
 * latency exceeded with probability p < TAIL is then, in closed form,
 * {@code u0 + sigma / xi ((TAIL / p)^xi - 1)} ({@code u0 + sigma ln(TAIL / p)} for xi = 0).
 */
public record SplicedTail(double xi, double sigmaNs) {
    static final double TAIL = 0.01;
    static final double MEDIAN_NS = 8_000, LOG_SD = 0.35;
    /** The standard normal's 0.99-quantile (tables: 2.326347874...). */
    static final double Z_99 = 2.3263478740408408;
    static final double U0_NS = MEDIAN_NS * Math.exp(LOG_SD * Z_99);

    /** The true latency exceeded with probability p (p < TAIL). */
    public double trueQuantileNs(double p) {
        double r = TAIL / p;
        return U0_NS + (xi == 0 ? sigmaNs * Math.log(r) : sigmaNs / xi * (Math.pow(r, xi) - 1));
    }

    /** One latency in ns (continuous). */
    double draw(SplittableRandom rnd) {
        if (rnd.nextDouble() < TAIL) {
            double v = 1 - rnd.nextDouble(); // (0, 1]
            double y = xi == 0 ? -sigmaNs * Math.log(v) : sigmaNs / xi * (Math.pow(v, -xi) - 1);
            return U0_NS + y;
        }
        while (true) { // the body, conditioned below u0
            double x = MEDIAN_NS * Math.exp(LOG_SD * gaussian(rnd));
            if (x < U0_NS) return x;
        }
    }

    /** n samples recorded with resolution 1 ns (as the builtin probe) or 1000 ns (whole us, truncated, as cyclictest). */
    public Histogram sample(long n, long resolutionNs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Histogram h = LatencyHistograms.create();
        for (long i = 0; i < n; i++) {
            long ns = (long) draw(rnd);
            h.recordValue(ns / resolutionNs * resolutionNs);
        }
        return h;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble(), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
