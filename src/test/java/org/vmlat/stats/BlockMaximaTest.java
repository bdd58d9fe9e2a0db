package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.Locale;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;

/** Block maxima on data with a known tail ({@link SplicedTail}), exact and in whole microseconds. */
class BlockMaximaTest {
    @Test
    void recoversTheKnownQuantileFromAHistogram() {
        SplicedTail d = new SplicedTail(0.1, 5_000);
        double truth = d.trueQuantileNs(1e-9);
        for (long resolution : new long[] {1, 1000}) {
            int covered = 0;
            StringBuilder log = new StringBuilder();
            for (int s = 1; s <= 6; s++) {
                TailModel m = BlockMaxima.fit(LatencyBuckets.of(d.sample(1_000_000, resolution, s), resolution, 0), 100, s);
                TailModel.Quantile q = m.at(1e-9);
                log.append(String.format(Locale.ROOT, "seed %d: xi %.3f %s %.1f [%.1f, %.1f] us; ", s, m.xi(), m.verdict(),
                        q.valueNs() / 1000, q.lowNs() / 1000, q.highNs() / 1000));
                assertThat(m.blockSize()).isEqualTo(1000);
                assertThat(m.verdict()).as(log.toString()).isEqualTo("good");
                assertThat(q.valueNs()).as(log.toString()).isCloseTo(truth, offset(0.30 * truth));
                if (q.lowNs() <= truth && truth <= q.highNs()) covered++;
            }
            System.out.printf("block maxima, truth %.1f us, resolution %d ns: %s%n", truth / 1000, resolution, log);
            assertThat(covered).as(log.toString()).isGreaterThanOrEqualTo(5);
        }
    }

    /** Observed maxima of blocks of 1000 draws of a GPD excess: their law is a GEV with the same xi. */
    @Test
    void recoversTheKnownQuantileFromObservedMaxima() {
        SplicedTail d = new SplicedTail(0.1, 5_000);
        double truth = d.trueQuantileNs(1e-9);
        SplittableRandom rnd = new SplittableRandom(5);
        Histogram maxima = LatencyHistograms.create();
        for (int b = 0; b < 2000; b++) {
            double max = 0;
            for (int i = 0; i < 1000; i++) max = Math.max(max, d.draw(rnd));
            maxima.recordValue((long) max / 1000 * 1000); // whole us
        }
        TailModel m = BlockMaxima.fitMaxima(LatencyBuckets.of(maxima, 1000, 0), 1000, 100, 1);
        assertThat(m.fitted()).isEqualTo(2000);
        assertThat(m.xi()).isCloseTo(0.1, offset(0.08));
        TailModel.Quantile q = m.at(1e-9);
        assertThat(q.valueNs()).isCloseTo(truth, offset(0.3 * truth));
        assertThat(q.lowNs()).isLessThanOrEqualTo(truth);
        assertThat(q.highNs()).isGreaterThanOrEqualTo(truth);
    }

    @Test
    void tooFewBlocksIsSaid() {
        assertThat(BlockMaxima.fit(LatencyBuckets.of(new SplicedTail(0.1, 5_000).sample(2_000, 1, 1)), 10, 1).verdict())
                .isEqualTo("too few data");
    }
}
