package org.vmlat.stats;

import java.util.SplittableRandom;

/**
 * Bootstrap resampling of histograms in time proportional to their number of buckets, not of
 * samples: a multinomial draw of n samples over the buckets, bucket by bucket with binomials
 * (a day of activations is 10^8 samples but a few thousand buckets).
 */
final class Resampling {
    private Resampling() {}

    /** Counts of a multinomial draw of n samples over buckets with the given weights. */
    static long[] multinomial(double[] weights, long n, SplittableRandom rnd) {
        long[] out = new long[weights.length];
        double mass = 0;
        for (double w : weights) mass += w;
        long left = n;
        for (int i = 0; i < out.length && left > 0; i++) {
            long k = i == out.length - 1 ? left : binomial(left, Math.min(1, weights[i] / mass), rnd);
            out[i] = k;
            left -= k;
            mass -= weights[i];
        }
        return out;
    }

    /** A binomial draw: normal approximation when the variance exceeds 30, exact inversion otherwise. */
    static long binomial(long n, double p, SplittableRandom rnd) {
        if (p <= 0) return 0;
        if (p >= 1) return n;
        double var = n * p * (1 - p);
        if (var > 30) return Math.max(0, Math.min(n, Math.round(n * p + gaussian(rnd) * Math.sqrt(var))));
        double pp = Math.min(p, 1 - p); // n * pp <= 60 here: the pmf's first term does not underflow
        double q = 1 - pp, pmf = Math.pow(q, n), cdf = pmf, u = rnd.nextDouble();
        long k = 0;
        while (u > cdf && k < n) {
            pmf *= (double) (n - k) / (k + 1) * pp / q;
            k++;
            cdf += pmf;
        }
        return pp == p ? k : n - k;
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble(), v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
