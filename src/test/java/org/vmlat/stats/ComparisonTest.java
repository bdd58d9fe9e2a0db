package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;

class ComparisonTest {
    static Histogram draw(long n, double shiftNs, long seed) {
        Random r = new Random(seed);
        Histogram h = LatencyHistograms.create();
        for (long i = 0; i < n; i++) h.recordValue((long) (12_000 + shiftNs - 2_000 * Math.log(1 - r.nextDouble())));
        return h;
    }

    @Test
    void equalDistributionsAreIndistinguishable() {
        List<Comparison.Row> rows = Comparison.compare(draw(50_000, 0, 1), draw(50_000, 0, 2), new double[] {50, 90, 99}, 300, 0.95, 7);
        assertThat(rows).allMatch(r -> r.verdict().equals("indistinguishable"));
    }

    @Test
    void aShiftedDistributionIsWorseAndTheIntervalHoldsTheShift() {
        List<Comparison.Row> rows = Comparison.compare(draw(50_000, 0, 1), draw(50_000, 1_000, 2), new double[] {50, 90}, 300, 0.95, 7);
        for (Comparison.Row r : rows) {
            assertThat(r.verdict()).isEqualTo("worse");
            assertThat(r.lowNs()).isLessThan(1_000 + 150);
            assertThat(r.highNs()).isGreaterThan(1_000 - 150);
        }
        List<Comparison.Row> back = Comparison.compare(draw(50_000, 1_000, 3), draw(50_000, 0, 4), new double[] {50}, 300, 0.95, 7);
        assertThat(back.get(0).verdict()).isEqualTo("better");
    }

    /** Coverage: over repeated equal pairs, the 90 % interval of the p90 difference contains 0 most of the time. */
    @Test
    void intervalsHaveRoughlyTheirCoverage() {
        int covered = 0, runs = 40;
        for (int s = 0; s < runs; s++) {
            Comparison.Row r = Comparison.compare(draw(5_000, 0, 100 + s), draw(5_000, 0, 200 + s), new double[] {90}, 200, 0.90, s).get(0);
            if (r.lowNs() <= 0 && 0 <= r.highNs()) covered++;
        }
        assertThat(covered).as("covered %d of %d", covered, runs).isBetween(30, 40);
    }

    @Test
    void binomialDrawsHaveTheRightMean() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (double p : new double[] {0.001, 0.3, 0.999}) {
            double sum = 0;
            for (int i = 0; i < 2000; i++) sum += Comparison.binomial(1000, p, rnd);
            assertThat(sum / 2000).isBetween(1000 * p - 2, 1000 * p + 2);
        }
    }
}
