package org.vmlat.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.UniformRealDistribution;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.vmlat.latency.Spike;

/**
 * When, in a run of {@code length} activations, the latency exceeded {@code thresholdNs}: the
 * 0-based indices of the exceedances, sorted. The tail fits assume the activations are independent
 * and identically distributed over a stationary run; the order of the exceedances is what tests
 * that, and a histogram has lost it.
 *
 * <ul>
 *   <li>Independence: under i.i.d. activations, each one exceeds the threshold with the same
 *       probability q = exceedances / length, independently, so the gaps between exceedances are
 *       geometric. {@link #independencePValue} is the Kolmogorov-Smirnov test of the gaps against
 *       that geometric law (through the randomised probability integral transform, which makes a
 *       discrete law's transform exactly uniform). Bursts of exceedances (one disturbance delaying
 *       several consecutive activations) give too many short gaps.</li>
 *   <li>{@link #extremalIndex}: Ferro and Segers' intervals estimator (J. R. Stat. Soc. B 65,
 *       2003, eq. 4): about 1 for independent exceedances, about 1/(mean cluster size) when they
 *       come in clusters; a pWCET from a POT fit is optimistic per activation by roughly that
 *       factor in the exceedance rate.</li>
 *   <li>Stationarity: in a stationary run the exceedances are spread uniformly over the run.
 *       {@link #stationarityPValue} is the Kolmogorov-Smirnov test of their positions against the
 *       uniform law on [0, length) (valid when they are independent: read it after the first).</li>
 * </ul>
 */
public record ExceedanceSequence(long[] indices, long length, long thresholdNs) {
    /** Fewer exceedances than this test nothing. */
    public static final int MIN_EXCEEDANCES = 20;

    public ExceedanceSequence {
        indices = indices.clone();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= length) {
                throw new IllegalArgumentException("indices[" + i + "] must be in 0.." + (length - 1) + ", got " + indices[i]);
            }
            if (i > 0 && indices[i] <= indices[i - 1]) throw new IllegalArgumentException("indices must be strictly increasing at " + i);
        }
    }

    /** The exceedances of a threshold in a full sequence of latencies. */
    public static ExceedanceSequence above(long[] latenciesNs, long thresholdNs) {
        long[] idx = new long[latenciesNs.length];
        int k = 0;
        for (int i = 0; i < latenciesNs.length; i++) if (latenciesNs[i] > thresholdNs) idx[k++] = i;
        return new ExceedanceSequence(Arrays.copyOf(idx, k), latenciesNs.length, thresholdNs);
    }

    /**
     * The exceedances recoverable from a thread's worst activations with their cycle numbers
     * (vmlat's spike table, cyclictest -v imports): every activation above the smallest kept spike
     * is among the spikes, so the spikes strictly above it are all the exceedances of that
     * threshold. Empty when the spikes carry no cycle numbers, fewer than
     * {@link #MIN_EXCEEDANCES} lie above it, or every activation was kept (no threshold).
     */
    public static Optional<ExceedanceSequence> ofSpikes(List<Spike> spikes, long activations) {
        if (spikes.size() <= MIN_EXCEEDANCES || spikes.size() >= activations) return Optional.empty();
        long threshold = Long.MAX_VALUE;
        for (Spike s : spikes) {
            if (s.cycle() < 0 || s.cycle() >= activations) return Optional.empty();
            threshold = Math.min(threshold, s.latencyNs());
        }
        final long t = threshold;
        long[] idx = spikes.stream().filter(s -> s.latencyNs() > t).mapToLong(Spike::cycle).sorted().distinct().toArray();
        if (idx.length < MIN_EXCEEDANCES) return Optional.empty();
        return Optional.of(new ExceedanceSequence(idx, activations, t));
    }

    public int exceedances() {
        return indices.length;
    }

    /** Ferro-Segers intervals estimator of the extremal index, in (0, 1]; NaN with fewer than 2 exceedances. */
    public double extremalIndex() {
        int n = indices.length;
        if (n < 2) return Double.NaN;
        double s1 = 0, s2 = 0, s1m = 0, s2m = 0;
        long maxGap = 0;
        for (int i = 1; i < n; i++) {
            double t = indices[i] - indices[i - 1];
            maxGap = Math.max(maxGap, (long) t);
            s1 += t;
            s2 += t * t;
            s1m += t - 1;
            s2m += (t - 1) * (t - 2);
        }
        double theta = maxGap <= 2 ? 2 * s1 * s1 / ((n - 1) * s2) : 2 * s1m * s1m / ((n - 1) * s2m);
        return Math.min(1, theta);
    }

    /** P-value of the independence test (small: the exceedances cluster, or come too regularly). */
    public double independencePValue(long seed) {
        int n = indices.length;
        if (n < MIN_EXCEEDANCES) return Double.NaN;
        double q = (double) n / length;
        double logStay = Math.log1p(-q);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] u = new double[n - 1];
        for (int i = 1; i < n; i++) {
            long gap = indices[i] - indices[i - 1]; // >= 1, geometric: P(gap <= g) = 1 - (1 - q)^g
            double below = -Math.expm1((gap - 1) * logStay), upTo = -Math.expm1(gap * logStay);
            u[i - 1] = below + rnd.nextDouble() * (upTo - below);
        }
        return ks(u);
    }

    /** P-value of the stationarity test (small: exceedances crowd in part of the run). */
    public double stationarityPValue() {
        int n = indices.length;
        if (n < MIN_EXCEEDANCES) return Double.NaN;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = (indices[i] + 0.5) / length;
        return ks(u);
    }

    private static double ks(double[] uniform) {
        return new KolmogorovSmirnovTest().kolmogorovSmirnovTest(new UniformRealDistribution(null, 0, 1), uniform);
    }
}
