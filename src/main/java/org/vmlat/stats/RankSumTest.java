package org.vmlat.stats;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * The exact Wilcoxon–Mann–Whitney rank-sum test on two small sets of values, one value per
 * repetition of a measurement (e.g. the p99.9 of each of four runs without stress and of four
 * runs with stress).
 *
 * <p>Why repetitions and not the samples: on a shared or virtualised machine the dominant noise
 * is between runs (two 10 s runs of one setup differ by 2x at p99.9), not between activations of
 * one run, so the values of whole runs are the observations. Their distribution is unknown and
 * there are few of them, so the test uses only their order: under "no difference" every way of
 * splitting the {@code m + n} values into the two groups is equally likely (exchangeable
 * repetitions), and the chance of an ordering at least as extreme as the one seen is counted
 * exactly.
 *
 * <p>{@code U} counts the pairs (a, b) with b strictly above a. Ties count for neither direction,
 * so they only make a verdict harder (conservative). The one-sided chance that B is above A this
 * often is {@code P(U >= u)} over the {@code C(m+n, m)} equally likely splits; the verdict at
 * level {@code level} is "worse" (B above A) when that chance is at most {@code (1 - level) / 2},
 * "better" symmetrically, otherwise "indistinguishable". The smallest chance any ordering can
 * reach is {@code 1 / C(m+n, m)}: with 3 against 3 repetitions that is 1/20 = 0.05, so no
 * difference can be called at 95 % (two-sided) — 4 against 4 (1/70) is the fewest that can.
 */
public final class RankSumTest {
    /**
     * @param u            pairs with B strictly above A
     * @param uBelow       pairs with B strictly below A
     * @param chanceWorse  P(U >= u) with no difference (one-sided)
     * @param chanceBetter P(U' >= uBelow) with no difference (one-sided)
     * @param verdict      better, worse or indistinguishable at the level asked
     */
    public record Result(int m, int n, long u, long uBelow, double chanceWorse, double chanceBetter, String verdict) {
        public Result {
            if (m < 1 || n < 1) throw new IllegalArgumentException("m and n must be >= 1, got " + m + " and " + n);
        }

        /** The two-sided chance of an ordering at least this extreme with no difference (at most 1). */
        public double pTwoSided() {
            return Math.min(1, 2 * Math.min(chanceWorse, chanceBetter));
        }
    }

    private RankSumTest() {}

    /** Tests whether the values of B lie above (worse) or below (better) those of A. */
    public static Result test(long[] a, long[] b, double level) {
        if (a.length < 1 || b.length < 1) throw new IllegalArgumentException("each side needs a value, got " + a.length + " and " + b.length);
        if (a.length > 60 || b.length > 60) throw new IllegalArgumentException("at most 60 repetitions a side, got " + a.length + " and " + b.length);
        if (!(level > 0 && level < 1)) throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        long above = 0, below = 0;
        for (long x : a) {
            for (long y : b) {
                if (y > x) above++;
                else if (y < x) below++;
            }
        }
        BigInteger[] freq = frequencies(a.length, b.length);
        double worse = tail(freq, above), better = tail(freq, below);
        double alpha = (1 - level) / 2;
        String verdict = worse <= alpha ? "worse" : better <= alpha ? "better" : "indistinguishable";
        return new Result(a.length, b.length, above, below, worse, better, verdict);
    }

    /**
     * The exact confidence interval of a shift B - A from the repetitions (the rank-sum test's own
     * interval, Hodges–Lehmann): of the {@code m n} differences {@code b - a} sorted, the k-th
     * smallest to the k-th largest, with k - 1 the largest U whose chance {@code P(U <= k - 1)}
     * is at most {@code (1 - level) / 2}. When no k qualifies (too few repetitions for any
     * interval at this level: 3 against 3 at 95 %) both ends are NaN.
     *
     * @return {low, estimate, high} in the values' unit; the estimate is the median difference
     */
    public static double[] shiftInterval(long[] a, long[] b, double level) {
        int m = a.length, n = b.length;
        double[] d = new double[m * n];
        int i = 0;
        for (long x : a) for (long y : b) d[i++] = (double) y - x;
        Arrays.sort(d);
        double estimate = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        BigInteger[] freq = frequencies(m, n);
        BigInteger total = BigInteger.ZERO;
        for (BigInteger f : freq) total = total.add(f);
        double alpha = (1 - level) / 2;
        int k = 0; // the number of differences cut off on each side
        BigInteger cumulative = BigInteger.ZERO;
        for (int c = 0; c < freq.length; c++) {
            cumulative = cumulative.add(freq[c]);
            if (cumulative.doubleValue() / total.doubleValue() <= alpha) k = c + 1;
            else break;
        }
        if (k == 0) return new double[] {Double.NaN, estimate, Double.NaN};
        return new double[] {d[k - 1], estimate, d[d.length - k]};
    }

    /** The smallest one-sided chance m against n repetitions can give: 1 / C(m+n, m). */
    public static double smallestChance(int m, int n) {
        BigInteger total = BigInteger.ZERO;
        for (BigInteger f : frequencies(m, n)) total = total.add(f);
        return 1 / total.doubleValue();
    }

    /** P(U >= u): the splits with at least u pairs above, over all splits. */
    private static double tail(BigInteger[] freq, long u) {
        BigInteger at = BigInteger.ZERO, total = BigInteger.ZERO;
        for (int k = 0; k < freq.length; k++) {
            total = total.add(freq[k]);
            if (k >= u) at = at.add(freq[k]);
        }
        return at.doubleValue() / total.doubleValue();
    }

    /**
     * How many of the C(m+n, m) splits give U = k, for every k in 0..m*n: f(m, n, k) =
     * f(m-1, n, k-n) + f(m, n-1, k) (the largest value is a B, above all m values of A, or an A).
     */
    static BigInteger[] frequencies(int m, int n) {
        // f[i][j][k] built up over i (values of A) and j (values of B)
        BigInteger[][] prev = new BigInteger[n + 1][];
        for (int j = 0; j <= n; j++) prev[j] = single(0); // i = 0: one split, U = 0
        for (int i = 1; i <= m; i++) {
            BigInteger[][] cur = new BigInteger[n + 1][];
            cur[0] = single(0);
            for (int j = 1; j <= n; j++) {
                BigInteger[] f = new BigInteger[i * j + 1];
                Arrays.fill(f, BigInteger.ZERO);
                // the largest value is an A: U as for (i-1, j); it is a B: that B is above all i A's
                BigInteger[] lastA = prev[j], lastB = cur[j - 1];
                for (int k = 0; k < lastA.length; k++) f[k] = f[k].add(lastA[k]);
                for (int k = 0; k < lastB.length; k++) f[k + i] = f[k + i].add(lastB[k]);
                cur[j] = f;
            }
            prev = cur;
        }
        return prev[n];
    }

    private static BigInteger[] single(int k) {
        BigInteger[] f = new BigInteger[k + 1];
        Arrays.fill(f, BigInteger.ZERO);
        f[k] = BigInteger.ONE;
        return f;
    }
}
