package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class RankSumTestTest {
    /** Reference: every split of m+n distinct ranks enumerated, counting those with U >= u (no recursion). */
    static double bruteChanceAtLeast(int m, int n, long u) {
        int all = m + n, hits = 0, total = 0;
        for (int mask = 0; mask < (1 << all); mask++) {
            if (Integer.bitCount(mask) != m) continue; // bits set: the ranks of A
            total++;
            long pairs = 0;
            for (int a = 0; a < all; a++) {
                if ((mask >> a & 1) == 0) continue;
                for (int b = a + 1; b < all; b++) if ((mask >> b & 1) == 0) pairs++; // a B ranked above this A
            }
            if (pairs >= u) hits++;
        }
        return (double) hits / total;
    }

    @Test
    void nullDistributionMatchesEnumerationAndPublishedCounts() {
        // published: with 5 v 5 the splits with U = 0..4 number 1, 1, 2, 3, 5 of C(10, 5) = 252
        BigInteger[] f = RankSumTest.frequencies(5, 5);
        assertThat(f).hasSize(26);
        assertThat(f[0]).isEqualTo(1);
        assertThat(f[1]).isEqualTo(1);
        assertThat(f[2]).isEqualTo(2);
        assertThat(f[3]).isEqualTo(3);
        assertThat(f[4]).isEqualTo(5);
        for (int m = 1; m <= 5; m++) {
            for (int n = 1; n <= 5; n++) {
                for (long u = 0; u <= (long) m * n; u++) {
                    assertThat(RankSumTest.test(a(m), spread(m, n, u), 0.95).chanceWorse())
                            .as("m=%d n=%d u=%d", m, n, u).isCloseTo(bruteChanceAtLeast(m, n, u), within(1e-12));
                }
            }
        }
        assertThat(RankSumTest.smallestChance(3, 3)).isCloseTo(1 / 20.0, within(1e-12));
        assertThat(RankSumTest.smallestChance(4, 4)).isCloseTo(1 / 70.0, within(1e-12));
    }

    /** n values of B among A = {10, 20, ..., 10m} so that exactly u pairs have B above A (no ties). */
    static long[] spread(int m, int n, long u) {
        long[] b = new long[n];
        long left = u;
        for (int j = 0; j < n; j++) {
            long above = Math.min(m, left); // this B lies above the `above` smallest values of A
            left -= above;
            b[j] = 10 * above + 5;
        }
        return b;
    }

    private static long[] a(int m) {
        long[] a = new long[m];
        for (int i = 0; i < m; i++) a[i] = 10L * (i + 1);
        return a;
    }

    @Test
    void publishedCriticalValuesDecideTheVerdict() {
        // two-sided 5 % critical values of U (published tables): 4 v 4: 0, 5 v 5: 2, 8 v 8: 13
        assertThat(RankSumTest.test(a(4), spread(4, 4, 16), 0.95).verdict()).isEqualTo("worse");   // U' = 0
        assertThat(RankSumTest.test(a(4), spread(4, 4, 15), 0.95).verdict()).isEqualTo("indistinguishable");
        assertThat(RankSumTest.test(a(5), spread(5, 5, 23), 0.95).verdict()).isEqualTo("worse");   // U' = 2
        assertThat(RankSumTest.test(a(5), spread(5, 5, 22), 0.95).verdict()).isEqualTo("indistinguishable");
        assertThat(RankSumTest.test(a(8), spread(8, 8, 64 - 13), 0.95).verdict()).isEqualTo("worse");
        assertThat(RankSumTest.test(a(8), spread(8, 8, 64 - 14), 0.95).verdict()).isEqualTo("indistinguishable");
        assertThat(RankSumTest.test(spread(8, 8, 64 - 13), a(8), 0.95).verdict()).isEqualTo("better");
        // 3 v 3 completely apart: one split in 20 each way, p = 0.1: never a finding at 95 %
        RankSumTest.Result three = RankSumTest.test(new long[] {10, 11, 12}, new long[] {50, 60, 70}, 0.95);
        assertThat(three.verdict()).isEqualTo("indistinguishable");
        assertThat(three.pTwoSided()).isCloseTo(0.1, within(1e-12));
        // ties count for neither side
        assertThat(RankSumTest.test(new long[] {5, 5, 5, 5}, new long[] {5, 5, 5, 5}, 0.95).u()).isZero();
    }

    @Test
    void shiftIntervalIsTheRankSumInterval() {
        // 4 v 4: C = 0, so the interval runs from the smallest to the largest of the 16 differences
        long[] a = {100, 110, 120, 130}, b = {200, 205, 240, 260};
        double[] i = RankSumTest.shiftInterval(a, b, 0.95);
        assertThat(i[0]).isEqualTo(70);
        assertThat(i[2]).isEqualTo(160);
        // 16 differences, median between the 8th and 9th: sorted 70 75 80 85 90 95 100 105 110 110 120 120 130 130 140 160
        assertThat(i[1]).isEqualTo(107.5);
        assertThat(Double.isNaN(RankSumTest.shiftInterval(new long[] {1, 2, 3}, new long[] {4, 5, 6}, 0.95)[0])).isTrue();
        // 5 v 5 at 95 %: C = 2, so the 3rd smallest and 3rd largest of 25 differences
        long[] x = {0, 0, 0, 0, 0}, y = {1, 2, 3, 4, 5};
        double[] j = RankSumTest.shiftInterval(x, y, 0.95);
        assertThat(j[0]).isEqualTo(1);
        assertThat(j[2]).isEqualTo(5);
    }
}
