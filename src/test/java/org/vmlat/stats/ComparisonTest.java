package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;

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

    /** Samples 12 us + Exp(mean 2 us) + shift, in ns, either exact or truncated to whole us as cyclictest does. */
    static LatencyDistribution sample(long n, long shiftNs, long seed, boolean wholeMicros) {
        Random r = new Random(seed);
        Histogram h = LatencyHistograms.create();
        for (long i = 0; i < n; i++) {
            long ns = (long) (12_000 + shiftNs - 2_000 * Math.log(1 - r.nextDouble()));
            h.recordValue(wholeMicros ? ns / 1000 * 1000 : ns);
        }
        return LatencyDistribution.of(h, wholeMicros ? 1000 : 1);
    }

    /**
     * B is A shifted by +0.2 us, so every percentile differs by exactly 200 ns. In whole
     * microseconds the two percentiles differ by 0 or 1 us; the interval must still hold 200 ns.
     */
    @Test
    void aSubMicrosecondShiftInWholeMicrosecondDataIsInsideTheInterval() {
        double[] ps = {50, 90, 99, 99.9};
        for (long seed = 0; seed < 5; seed++) {
            // independent samples, and the same samples shifted (only the truncation differs)
            for (long seedB : new long[] {seed + 100, seed}) {
                List<Comparison.Row> rows = Comparison.compare(sample(50_000, 0, seed, true), sample(50_000, 200, seedB, true),
                        ps, 300, 0.95, 7);
                for (Comparison.Row r : rows) {
                    assertThat(r.lowNs()).as("p%s low, seeds %d/%d", r.percentile(), seed, seedB).isLessThanOrEqualTo(200);
                    assertThat(r.highNs()).as("p%s high, seeds %d/%d", r.percentile(), seed, seedB).isGreaterThanOrEqualTo(200);
                    assertThat(r.diffNs() % 1000).as("point estimates are whole us").isZero();
                }
            }
        }
    }

    /** A shift larger than the bucket is still found in whole-us data: +2.2 us is "worse". */
    @Test
    void aShiftOfSeveralBucketsInWholeMicrosecondDataIsFound() {
        List<Comparison.Row> rows = Comparison.compare(sample(50_000, 0, 1, true), sample(50_000, 2_200, 2, true),
                new double[] {50, 90}, 300, 0.95, 7);
        for (Comparison.Row r : rows) {
            assertThat(r.verdict()).isEqualTo("worse");
            assertThat(r.lowNs()).isLessThanOrEqualTo(2_200);
            assertThat(r.highNs()).isGreaterThanOrEqualTo(2_200);
        }
    }

    /** The same +200 ns shift in ns data: the 95 % intervals hold it in (about) 95 % of seeded pairs. */
    @Test
    void aSubMicrosecondShiftInNanosecondDataIsInsideTheInterval() {
        int covered = 0, runs = 20;
        for (long s = 0; s < runs; s++) {
            Comparison.Row r = Comparison.compare(sample(50_000, 0, 300 + s, false), sample(50_000, 200, 400 + s, false),
                    new double[] {50}, 300, 0.95, s).get(0);
            if (r.lowNs() <= 200 && 200 <= r.highNs()) covered++;
        }
        assertThat(covered).as("covered %d of %d", covered, runs).isGreaterThanOrEqualTo(17);
    }

    /** compare's A and B are the figures every other output prints for the same data. */
    @Test
    void pointEstimatesAreTheReportedPercentiles() {
        Histogram h = LatencyHistograms.create();
        for (long us = 1; us <= 100; us++) h.recordValue(us * 1000);
        ThreadResult t = new ThreadResult(0, 0, 1_000_000, 1000, 103, 1000, 900_000, 0, -1, 3, h, List.of());
        double[] ps = {50, 90, 99, 99.9};
        List<Comparison.Row> rows = Comparison.compare(LatencyDistribution.of(t), LatencyDistribution.of(t), ps, 50, 0.95, 1);
        for (int i = 0; i < ps.length; i++) {
            assertThat(rows.get(i).aNs()).as("p%s", ps[i]).isEqualTo((double) t.percentileNs(ps[i]));
            assertThat(rows.get(i).bNs()).isEqualTo((double) t.percentileNs(ps[i]));
        }
        assertThat(rows.get(3).aNs()).isEqualTo(900_000); // 103 * 0.999 -> the 103rd sample, an overflow: the max
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
