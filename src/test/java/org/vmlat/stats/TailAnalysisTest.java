package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;

class TailAnalysisTest {
    static TailModel model(TailModel.Method method, String verdict, double low, double high) {
        return new TailModel(method, 1_000_000, 10_000, 18_000, 0, 0.01, 0.1, 5_000, Double.NaN, 0.999, verdict, Double.POSITIVE_INFINITY, 1,
                List.of(new TailModel.Quantile(1e-9, (low + high) / 2, low, high, false)));
    }

    static final SampleOrderChecks UNTESTED = new SampleOrderChecks(1, 0, 0, Double.NaN, Double.NaN, Double.NaN);

    @Test
    void intervalsThatDoNotOverlapAreADisagreement() {
        TailModel pot = model(TailModel.Method.PEAKS_OVER_THRESHOLD, "good", 180_000, 250_000);
        assertThat(new TailAnalysis(pot, model(TailModel.Method.BLOCK_MAXIMA, "good", 260_000, 400_000), UNTESTED).disagreements())
                .containsExactly(1e-9);
        assertThat(new TailAnalysis(pot, model(TailModel.Method.BLOCK_MAXIMA, "good", 100_000, 179_999), UNTESTED).disagreements())
                .containsExactly(1e-9);
        assertThat(new TailAnalysis(pot, model(TailModel.Method.BLOCK_MAXIMA, "good", 250_000, 400_000), UNTESTED).disagreements()).isEmpty();
        // a poor fit has nothing to agree or disagree with
        assertThat(new TailAnalysis(pot, model(TailModel.Method.BLOCK_MAXIMA, "poor", 260_000, 400_000), UNTESTED).disagreements()).isEmpty();
    }

    @Test
    void bothMethodsAgreeOnAKnownTailInWholeMicroseconds() {
        SplicedTail d = new SplicedTail(0.1, 5_000);
        Histogram h = d.sample(1_000_000, 1000, 11);
        TailAnalysis a = TailAnalysis.of(List.of(thread(h, 1000, List.of())), 0.99, 100, 1);
        assertThat(a.disagreements()).isEmpty();
        assertThat(a.peaksOverThreshold().resolutionNs()).isEqualTo(1000);
        assertThat(a.sampleOrder().tested()).isFalse();
        double truth = d.trueQuantileNs(1e-9);
        for (TailModel m : List.of(a.peaksOverThreshold(), a.blockMaxima())) {
            assertThat(m.at(1e-9).lowNs()).as(m.method().label).isLessThanOrEqualTo(truth);
            assertThat(m.at(1e-9).highNs()).as(m.method().label).isGreaterThanOrEqualTo(truth);
        }
    }

    /** Spikes with cycle numbers test the sample order: bursts (a moving maximum of 3) are found, i.i.d. values pass. */
    @Test
    void sampleOrderIsTestedFromSpikes() {
        int n = 300_000;
        SplittableRandom r = new SplittableRandom(2);
        long[] z = new long[n], burst = new long[n];
        for (int i = 0; i < n; i++) z[i] = 10_000 + (long) (10_000 * r.nextDouble());
        for (int i = 0; i < n; i++) burst[i] = Math.max(z[i], Math.max(i > 0 ? z[i - 1] : 0, i > 1 ? z[i - 2] : 0));
        SampleOrderChecks iid = SampleOrderChecks.of(List.of(threadOf(z, 300)), 1);
        assertThat(iid.tested()).isTrue();
        assertThat(iid.independent()).isTrue();
        assertThat(iid.stationary()).isTrue();
        assertThat(iid.exceedances()).isBetween(250L, 299L); // ties at the smallest kept spike are left out
        SampleOrderChecks clustered = SampleOrderChecks.of(List.of(threadOf(z, 300), threadOf(burst, 300)), 1);
        assertThat(clustered.threadsTested()).isEqualTo(2);
        assertThat(clustered.independent()).isFalse();
        assertThat(clustered.extremalIndex()).isLessThan(0.5);
        // ten worst activations (the default spike table) or none: not tested
        assertThat(SampleOrderChecks.of(List.of(threadOf(z, 10)), 1).tested()).isFalse();
    }

    /** A thread of these latencies keeping its {@code keep} largest as spikes with cycle numbers. */
    static ThreadResult threadOf(long[] latencies, int keep) {
        Histogram h = LatencyHistograms.create();
        for (long v : latencies) h.recordValue(v);
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        long cut = sorted[latencies.length - keep];
        List<Spike> spikes = new ArrayList<>();
        for (int i = 0; i < latencies.length && spikes.size() < keep; i++) if (latencies[i] >= cut) spikes.add(new Spike(latencies[i], i, -1));
        return thread(h, 1, spikes);
    }

    static ThreadResult thread(Histogram h, long resolutionNs, List<Spike> spikes) {
        return new ThreadResult(0, 0, 1_000_000, resolutionNs, h.getTotalCount(), h.getMinValue(), h.getMaxValue(),
                (long) (h.getMean() * h.getTotalCount()), 0, 0, h, spikes);
    }
}
