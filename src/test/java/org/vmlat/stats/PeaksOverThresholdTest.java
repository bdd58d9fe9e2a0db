package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;

/** Fits on samples drawn from known distributions must recover them. */
public class PeaksOverThresholdTest {
    static final long U0 = 30_000; // ns: where the known tail starts

    /** A body of 10..20 us, and with probability 2 % an excess over 30 us drawn from GPD(xi, sigma). */
    public static Histogram sample(long n, double xi, double sigma, long seed) {
        Random r = new Random(seed);
        Histogram h = LatencyHistograms.create();
        for (long i = 0; i < n; i++) {
            double u = r.nextDouble();
            long v;
            if (r.nextDouble() < 0.02) {
                double y = Math.abs(xi) < 1e-12 ? -sigma * Math.log(1 - u) : sigma / xi * (Math.pow(1 - u, -xi) - 1);
                v = U0 + (long) y;
            } else {
                v = 10_000 + (long) (u * 10_000);
            }
            h.recordValue(v);
        }
        return h;
    }

    static double trueQuantile(double xi, double sigma, double p) {
        return PeaksOverThreshold.quantile(U0, 0.02, xi, sigma, p);
    }

    @Test
    void recoversAHeavyTail() {
        TailModel m = PeaksOverThreshold.fit(sample(2_000_000, 0.2, 5_000, 1), 0.985, 0, 1);
        assertThat(m.verdict()).isEqualTo("good");
        assertThat(m.xi()).isCloseTo(0.2, offset(0.06));
        // the threshold sits inside the tail (above 30 us), so the scale there is sigma + xi (u - 30 us)
        double expectedSigma = 5_000 + 0.2 * (m.thresholdNs() - U0);
        assertThat(m.sigmaNs()).isCloseTo(expectedSigma, offset(expectedSigma * 0.15));
        double truth = trueQuantile(0.2, 5_000, 1e-6);
        assertThat(m.quantiles().get(0).valueNs()).isCloseTo(truth, offset(truth * 0.25));
    }

    @Test
    void recoversAnExponentialTail() {
        TailModel m = PeaksOverThreshold.fit(sample(2_000_000, 0, 4_000, 2), 0.985, 0, 1);
        assertThat(m.xi()).isCloseTo(0.0, offset(0.05));
        double truth = trueQuantile(0, 4_000, 1e-9);
        assertThat(m.quantiles().get(1).valueNs()).isCloseTo(truth, offset(truth * 0.15));
        assertThat(m.quantiles().get(0).valueNs()).isLessThan(m.quantiles().get(1).valueNs());
        assertThat(m.quantiles().get(1).valueNs()).isLessThan(m.quantiles().get(2).valueNs());
    }

    /** The bootstrap's 95 % interval covers the true 1e-6 quantile in most replications. */
    @Test
    void bootstrapIntervalsCoverTheTruth() {
        double truth = trueQuantile(0.1, 5_000, 1e-6);
        int covered = 0, runs = 12;
        for (int s = 0; s < runs; s++) {
            TailModel m = PeaksOverThreshold.fit(sample(300_000, 0.1, 5_000, 100 + s), 0.985, 60, s);
            TailModel.Quantile q = m.quantiles().get(0);
            assertThat(q.lowNs()).isLessThanOrEqualTo(q.valueNs());
            assertThat(q.highNs()).isGreaterThanOrEqualTo(q.valueNs());
            if (q.lowNs() <= truth && truth <= q.highNs()) covered++;
        }
        assertThat(covered).as("covered %d of %d", covered, runs).isGreaterThanOrEqualTo(8);
    }

    @Test
    void tooFewDataIsSaid() {
        Histogram h = LatencyHistograms.create();
        for (int i = 0; i < 30; i++) h.recordValue(10_000 + i);
        TailModel m = PeaksOverThreshold.fit(h, 0.99, 10, 1);
        assertThat(m.verdict()).isEqualTo("too few data");
        assertThat(m.quantiles()).isEmpty();
    }

    @Test
    void aTailThatIsNotGpdIsPoor() {
        // two separated spikes above the threshold: no GPD fits that
        Histogram h = LatencyHistograms.create();
        for (int i = 0; i < 100_000; i++) h.recordValue(10_000 + (i % 1000));
        for (long v : new long[] {50_000, 50_500, 900_000, 900_500}) h.recordValueWithCount(v, 300);
        TailModel m = PeaksOverThreshold.fit(h, 0.99, 0, 1);
        assertThat(m.verdict()).isEqualTo("poor");
    }

    /** A tail with no mean (xi >= 1) gives no finite bound: the quantiles are +infinity, not a huge number. */
    @Test
    void aTailWithoutMeanIsUnbounded() {
        TailModel m = PeaksOverThreshold.fit(sample(300_000, 1.3, 5_000, 3), 0.985, 20, 1);
        assertThat(m.xi()).isGreaterThanOrEqualTo(1.0);
        for (TailModel.Quantile q : m.quantiles()) {
            assertThat(q.valueNs()).isInfinite();
            assertThat(q.bounded()).isFalse();
        }
    }

    /** 1e-12 from 6000 samples is nine decades past the data: flagged; 1e-6 from 2e6 samples is not. */
    @Test
    void farExtrapolationIsFlagged() {
        TailModel small = PeaksOverThreshold.fit(sample(6_000, 0.1, 5_000, 4), 0.98, 0, 1);
        assertThat(small.at(1e-12).extrapolated()).isTrue();
        assertThat(small.at(1e-9).extrapolated()).isTrue();
        assertThat(small.at(1e-6).extrapolated()).isFalse(); // 1e-6 x 6000 = 0.006 >= 1/1000
        TailModel large = PeaksOverThreshold.fit(sample(2_000_000, 0.1, 5_000, 4), 0.985, 0, 1);
        assertThat(large.at(1e-9).extrapolated()).isFalse();
        assertThat(large.at(1e-12).extrapolated()).isTrue();
    }
}
