package org.vmlat.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The percentile rule checked against its textbook reading on an explicit, sorted list of
 * samples: the p-quantile of N samples is the ceil(p/100 N)-th smallest (the "inverse of the
 * empirical CDF", Hyndman and Fan's definition 1).
 */
class LatencyDistributionTest {

    /** Reference: the k-th smallest of the samples, k = ceil(p * N / 100) computed in integers. */
    private static long reference(List<Long> samples, int pTimes100) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        long n = sorted.size();
        long k = Math.max(1, (pTimes100 * n + 9_999) / 10_000);
        return sorted.get((int) k - 1);
    }

    @Test
    void rankIsTheCeilingOfPTimesNExactly() {
        assertThat(LatencyDistribution.rank(99.9, 6000)).isEqualTo(5994);
        assertThat(LatencyDistribution.rank(99, 6000)).isEqualTo(5940);
        assertThat(LatencyDistribution.rank(99.99, 5996)).isEqualTo(5996);
        assertThat(LatencyDistribution.rank(50, 5997)).isEqualTo(2999);
        assertThat(LatencyDistribution.rank(0, 10)).isEqualTo(1);
        assertThat(LatencyDistribution.rank(100, 10)).isEqualTo(10);
        // 7 / 100.0 * 100 is 7.000000000000001 in binary floating point: a naive ceil gives 8
        assertThat(LatencyDistribution.rank(7, 100)).isEqualTo(7);
    }

    @Test
    void nanosecondSamplesBelow2048AreExactAndMatchTheReference() {
        Random r = new Random(5);
        List<Long> samples = new ArrayList<>();
        Histogram h = LatencyHistograms.create();
        for (int i = 0; i < 1013; i++) {
            long v = 1 + r.nextInt(2000);
            samples.add(v);
            h.recordValue(v);
        }
        LatencyDistribution d = LatencyDistribution.of(h, 1);
        for (int p : new int[] {0, 1, 700, 5000, 9000, 9900, 9990, 9999, 10000}) {
            assertThat(d.quantileNs(p / 100.0)).as("p%s", p / 100.0).isEqualTo(reference(samples, p));
        }
    }

    @Test
    void largerNanosecondSamplesAreReportedAtMostOneTenthOfAPercentAboveTheReferenceAndNeverBelow() {
        Random r = new Random(6);
        List<Long> samples = new ArrayList<>();
        Histogram h = LatencyHistograms.create();
        long max = 0;
        for (int i = 0; i < 5003; i++) {
            long v = 5_000 + (long) (-20_000 * Math.log(1 - r.nextDouble()));
            samples.add(v);
            h.recordValue(v);
            max = Math.max(max, v);
        }
        ThreadResult t = new ThreadResult(0, 0, 1_000_000, 1, samples.size(), Collections.min(samples), max, 0, 0, 0, h, List.of());
        for (int p : new int[] {0, 5000, 9000, 9900, 9990, 9999}) {
            long ref = reference(samples, p);
            assertThat(t.percentileNs(p / 100.0)).as("p%s", p / 100.0).isBetween(ref, ref + ref / 1000);
        }
        assertThat(t.percentileNs(100)).isEqualTo(max);
    }

    @Test
    void wholeMicrosecondBucketsReportTheirLowerEdgeAndCountOverflowsAboveEveryBucket() {
        // 1..9 us once each, 5 overflows beyond the histogram's range, largest sample 3 ms
        Histogram h = LatencyHistograms.create();
        List<Long> samples = new ArrayList<>();
        for (long us = 1; us <= 9; us++) {
            h.recordValue(us * 1000);
            samples.add(us * 1000);
        }
        for (int i = 0; i < 5; i++) samples.add(Long.MAX_VALUE); // stands for "above every bucket"
        ThreadResult t = new ThreadResult(0, 0, 1_000_000, 1000, 14, 1000, 3_000_000, 0, -1, 5, h, List.of());
        LatencyDistribution d = LatencyDistribution.of(t);
        assertThat(d.count()).isEqualTo(14);
        for (int p : new int[] {0, 5000, 6400, 6500, 9000, 10000}) {
            long ref = reference(samples, p);
            assertThat(t.percentileNs(p / 100.0)).as("p%s", p / 100.0).isEqualTo(ref == Long.MAX_VALUE ? 3_000_000 : ref);
        }
        int i = d.indexAtRank(d.counts(), 4);
        assertThat(d.lowerBoundNs(i)).isEqualTo(4000);
        assertThat(d.upperBoundNs(i)).isEqualTo(5000);
    }

    @Test
    void percentilesIgnoreAStaleCount() {
        Histogram h = LatencyHistograms.create();
        for (long us = 1; us <= 100; us++) h.recordValue(us * 1000);
        ThreadResult printed = new ThreadResult(0, 0, 1_000_000, 1000, 96, 1000, 100_000, 0, -1, 0, h, List.of());
        // 100 samples: p99 is the 99th; ranking with the printed count of 96 would give the 96th
        assertThat(printed.percentileNs(99)).isEqualTo(99_000);
        assertThat(printed.percentileNs(90)).isEqualTo(90_000);
    }

    @Test
    void threadsArePooled() {
        Histogram a = LatencyHistograms.create(), b = LatencyHistograms.create();
        for (long us = 1; us <= 50; us++) a.recordValue(us * 1000);
        for (long us = 51; us <= 100; us++) b.recordValue(us * 1000);
        LatencyDistribution d = LatencyDistribution.of(List.of(
                new ThreadResult(0, 0, 1_000_000, 1000, 50, 1000, 50_000, 0, -1, 0, a, List.of()),
                new ThreadResult(1, 1, 1_000_000, 1000, 50, 51_000, 100_000, 0, -1, 0, b, List.of())));
        assertThat(d.count()).isEqualTo(100);
        assertThat(d.quantileNs(99)).isEqualTo(99_000);
        assertThat(d.quantileNs(50)).isEqualTo(50_000);
    }

    @Test
    void microsecondValuesRecoveredExactlyUpTo2ms() {
        Histogram h = LatencyHistograms.create();
        long[] us = {73, 207, 999, 1500, 2000};
        for (long v : us) h.recordValue(v * 1000);
        ThreadResult t = new ThreadResult(0, 0, 1_000_000, 1000, us.length, 73_000, 2_000_000, 0, -1, 0, h, List.of());
        assertThat(t.percentileNs(20)).isEqualTo(73_000);
        assertThat(t.percentileNs(40)).isEqualTo(207_000);
        assertThat(t.percentileNs(60)).isEqualTo(999_000);
        assertThat(t.percentileNs(80)).isEqualTo(1_500_000);
        assertThat(t.percentileNs(100)).isEqualTo(2_000_000);
    }
}
