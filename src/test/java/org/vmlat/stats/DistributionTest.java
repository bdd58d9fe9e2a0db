package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Plot points checked against the samples themselves: counts and fractions by direct counting. */
class DistributionTest {
    static Histogram histogram(List<Long> samples) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        samples.forEach(h::recordValue);
        return h;
    }

    static List<Long> wholeMicros(long seed, int n) {
        Random rnd = new Random(seed);
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(1000L * (1 + (long) Math.abs(rnd.nextGaussian() * 15)));
        out.add(111_000_000L);
        return out;
    }

    @Test
    void binsRespectTheResolutionAndHoldEverySampleOnce() {
        List<Long> samples = wholeMicros(3, 50_000);
        List<Distribution.Point> bins = Distribution.logBins(histogram(samples), 1.12, 1000);
        long total = 0;
        for (Distribution.Point b : bins) {
            assertThat(b.x2() - b.x()).as("bin [%f, %f)", b.x(), b.x2()).isGreaterThanOrEqualTo(1000);
            assertThat(b.x() % 1000).isZero();
            assertThat(b.x2() % 1000).isZero();
            // the count is the number of samples inside, counted here directly (exact while HdrHistogram's buckets are narrower than 1 µs)
            if (b.x2() <= 1_000_000) assertThat(b.y()).isEqualTo(samples.stream().filter(v -> v >= b.x() && v < b.x2()).count());
            total += (long) b.y();
        }
        assertThat(total).isEqualTo(samples.size());
        Distribution.Point last = bins.get(bins.size() - 1);
        assertThat(last.y()).isEqualTo(1);
        assertThat(last.x()).isLessThanOrEqualTo(111_000_000);
        assertThat(last.x2()).isGreaterThan(111_000_000);
        // every whole µs from 1 to 30 holds samples: the bins there follow one another without a gap
        for (int i = 1; i < bins.size() && bins.get(i).x2() <= 30_000; i++) assertThat(bins.get(i).x()).isEqualTo(bins.get(i - 1).x2());
    }

    @Test
    void nanosecondBinsGrowByTheFactorFromOneMicrosecond() {
        List<Long> samples = new ArrayList<>();
        for (long v = 500; v < 100_000; v += 7) samples.add(v);
        List<Distribution.Point> bins = Distribution.logBins(histogram(samples), 1.12, 1);
        assertThat(bins.get(0).x()).isZero();
        assertThat(bins.get(0).x2()).isEqualTo(1000);
        assertThat(bins.get(1).x2() / bins.get(1).x()).isCloseTo(1.12, within(0.002));
    }

    @Test
    void theCcdfIsTheFractionAtOrAboveAndEndsAtTheMaximum() {
        List<Long> samples = List.of(5000L, 5000L, 7000L, 9000L, 111_000_000L);
        List<Distribution.Point> c = Distribution.ccdf(histogram(samples));
        assertThat(c).hasSize(4);
        assertThat(c.get(0).y()).isEqualTo(1.0);       // all 5 are >= 5 µs
        assertThat(c.get(1).y()).isEqualTo(3.0 / 5);   // 7, 9, 111000
        assertThat(c.get(2).y()).isEqualTo(2.0 / 5);
        assertThat(c.get(3).y()).isEqualTo(1.0 / 5);   // the maximum, at one sample in n
        assertThat(c.get(3).x()).isCloseTo(111_000_000, within(111_000_000 * 0.001));
    }

    @Test
    void overflowsCountInTheTotalAndEndTheLineAtTheMaximum() {
        List<Distribution.Point> c = Distribution.ccdf(histogram(List.of(5000L, 6000L, 7000L)), 2, 111_000_000);
        assertThat(c).extracting(Distribution.Point::y).containsExactly(1.0, 4.0 / 5, 3.0 / 5, 1.0 / 5);
        assertThat(c.get(3).x()).isEqualTo(111_000_000);
    }
}
