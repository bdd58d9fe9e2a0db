package org.vmlat.stats;

/**
 * The generalised extreme value distribution of a block maximum:
 * {@code F(x) = exp(-(1 + xi (x - mu) / sigma)^(-1/xi))} ({@code exp(-exp(-(x - mu) / sigma))} for
 * xi = 0), on {@code 1 + xi (x - mu) / sigma > 0}.
 */
record GeneralisedExtremeValue(double mu, double sigma, double xi) {
    /** log F(x); -infinity below the support (xi &gt; 0), 0 above it (xi &lt; 0). */
    double logCdf(double x) {
        if (x == Double.POSITIVE_INFINITY) return 0;
        double z = (x - mu) / sigma;
        if (Math.abs(xi) < GeneralisedPareto.EXPONENTIAL) return -Math.exp(-z);
        double t = 1 + xi * z;
        if (t <= 0) return xi > 0 ? Double.NEGATIVE_INFINITY : 0;
        return -Math.exp(-Math.log(t) / xi);
    }

    /** The x with -log F(x) = y (y &gt; 0): the value a block maximum exceeds with probability 1 - exp(-y). */
    double atMinusLogCdf(double y) {
        return Math.abs(xi) < GeneralisedPareto.EXPONENTIAL ? mu - sigma * Math.log(y) : mu + sigma / xi * (Math.pow(y, -xi) - 1);
    }

    /** The family over (mu / scale, log(sigma / scale), xi) for {@link CensoredFit}. */
    static CensoredFit.Family family(double scale) {
        return (p, low, high) -> {
            if (!(Math.abs(p[2]) <= GeneralisedPareto.MAX_SHAPE)) return Double.NEGATIVE_INFINITY;
            GeneralisedExtremeValue g = new GeneralisedExtremeValue(p[0] * scale, Math.exp(p[1]) * scale, p[2]);
            // log(F(high) - F(low)) = log F(high) + log(1 - F(low) / F(high))
            return CensoredFit.logDifference(g.logCdf(high), g.logCdf(low));
        };
    }
}
