package org.vmlat.stats;

/**
 * The generalised Pareto distribution of an excess y &gt;= 0 over a threshold: survival
 * {@code S(y) = (1 + xi y / sigma)^(-1/xi)} ({@code exp(-y / sigma)} for xi = 0), with support
 * bounded above by {@code -sigma / xi} when xi &lt; 0.
 */
record GeneralisedPareto(double xi, double sigma) {
    /** |xi| below this is treated as the exponential limit (the formulas lose precision there). */
    static final double EXPONENTIAL = 1e-9;
    /** Shapes searched by the fits: |xi| beyond this is no latency tail (and overflows the formulas). */
    static final double MAX_SHAPE = 5;

    double logSurvival(double y) {
        if (y <= 0) return 0;
        if (y == Double.POSITIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        if (Math.abs(xi) < EXPONENTIAL) return -y / sigma;
        double z = xi * y / sigma;
        if (z <= -1) return Double.NEGATIVE_INFINITY;
        return -Math.log1p(z) / xi;
    }

    /** The excess exceeded with probability q (0 &lt; q &lt;= 1). */
    double excessExceeded(double q) {
        return Math.abs(xi) < EXPONENTIAL ? -sigma * Math.log(q) : sigma / xi * (Math.pow(q, -xi) - 1);
    }

    /** The family over (xi, log(sigma / scale)) for {@link CensoredFit}. */
    static CensoredFit.Family family(double scale) {
        return (p, low, high) -> {
            if (!(Math.abs(p[0]) <= MAX_SHAPE)) return Double.NEGATIVE_INFINITY;
            GeneralisedPareto g = new GeneralisedPareto(p[0], Math.exp(p[1]) * scale);
            return CensoredFit.logDifference(g.logSurvival(low), g.logSurvival(high));
        };
    }
}
