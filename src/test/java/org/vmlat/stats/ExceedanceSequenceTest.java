package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.Spike;

/**
 * The independence and stationarity checks on synthetic sequences whose dependence is known:
 * i.i.d. values (extremal index 1), a moving maximum of m i.i.d. values, X_t = max(Z_t, ...,
 * Z_{t-m+1}), whose extremal index is 1/m (each large Z shows in m consecutive activations;
 * Leadbetter, Lindgren and Rootzen 1983, ch. 3), and a run whose level changes halfway.
 */
class ExceedanceSequenceTest {
    static final int N = 500_000;

    static long[] iid(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        long[] x = new long[N];
        for (int i = 0; i < N; i++) x[i] = (long) (1e6 * r.nextDouble());
        return x;
    }

    static long[] movingMaximum(int m, long seed) {
        long[] z = iid(seed), x = new long[N];
        for (int i = 0; i < N; i++) {
            long v = z[i];
            for (int j = 1; j < m && i - j >= 0; j++) v = Math.max(v, z[i - j]);
            x[i] = v;
        }
        return x;
    }

    @Test
    void independentValuesPassBothTests() {
        int rejected = 0;
        for (int s = 0; s < 10; s++) {
            ExceedanceSequence e = ExceedanceSequence.above(iid(s), 995_000); // q = 0.005: 2500 exceedances
            assertThat(e.extremalIndex()).isCloseTo(1.0, offset(0.1));
            if (e.independencePValue(s) < 0.01 || e.stationarityPValue() < 0.01) rejected++;
        }
        assertThat(rejected).as("i.i.d. sequences rejected at 1 %").isLessThanOrEqualTo(1);
    }

    @Test
    void clusteredExceedancesAreDetected() {
        for (int m : new int[] {2, 3, 5}) {
            // threshold such that each Z above it is rare: the m-fold copies form separate clusters
            ExceedanceSequence e = ExceedanceSequence.above(movingMaximum(m, m), 999_000);
            assertThat(e.extremalIndex()).as("m = %d", m).isCloseTo(1.0 / m, offset(0.25 / m));
            assertThat(e.independencePValue(1)).as("m = %d", m).isLessThan(1e-6);
        }
    }

    @Test
    void aLevelChangeMidwayIsNotStationary() {
        long[] x = iid(3);
        for (int i = N / 2; i < N; i++) x[i] = x[i] * 101 / 100; // the second half 1 % higher
        ExceedanceSequence e = ExceedanceSequence.above(x, 995_000);
        assertThat(e.stationarityPValue()).isLessThan(1e-6);
        ExceedanceSequence same = ExceedanceSequence.above(iid(3), 995_000);
        assertThat(same.stationarityPValue()).isGreaterThan(0.01);
    }

    @Test
    void spikesWithCycleNumbersGiveTheExceedancesAboveTheSmallestKept() {
        long[] x = iid(4);
        // the 100 largest values with their cycles, as a spike table keeps them
        List<Spike> spikes = new ArrayList<>();
        long[] sorted = x.clone();
        Arrays.sort(sorted);
        long cut = sorted[N - 100];
        for (int i = 0; i < N; i++) if (x[i] >= cut) spikes.add(new Spike(x[i], i, -1));
        ExceedanceSequence e = ExceedanceSequence.ofSpikes(spikes, N).orElseThrow();
        ExceedanceSequence full = ExceedanceSequence.above(x, e.thresholdNs());
        assertThat(e.indices()).containsExactly(full.indices());
        assertThat(e.thresholdNs()).isEqualTo(cut);

        assertThat(ExceedanceSequence.ofSpikes(spikes.subList(0, 10), N)).isEmpty(); // too few
        assertThat(ExceedanceSequence.ofSpikes(List.of(new Spike(5, -1, -1)), N)).isEmpty();
    }
}
