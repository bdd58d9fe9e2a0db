package org.vmlat.stats;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;

/**
 * The tail of one measurement (all its threads pooled) by both extreme-value methods, with the
 * checks of their shared assumptions.
 *
 * @param peaksOverThreshold the GPD fit, the primary estimate ({@code analyze} takes its bounds)
 * @param blockMaxima        the GEV fit of block maxima, a cross-check
 * @param sampleOrder        independence and stationarity, where the sample order is known
 */
public record TailAnalysis(TailModel peaksOverThreshold, TailModel blockMaxima, SampleOrderChecks sampleOrder) {

    /**
     * @param thresholdQuantile the peaks-over-threshold threshold (e.g. 0.99)
     * @param bootstrap         resamples for the 95 % intervals
     */
    public static TailAnalysis of(List<ThreadResult> threads, double thresholdQuantile, int bootstrap, long seed) {
        AbstractHistogram all = LatencyHistograms.create();
        long resolution = 1, overflows = 0;
        for (ThreadResult t : threads) {
            all.add(t.histogram());
            resolution = Math.max(resolution, t.resolutionNs());
            overflows += Math.max(0, t.histogramOverflows());
        }
        LatencyBuckets data = LatencyBuckets.of(all, resolution, overflows);
        return new TailAnalysis(PeaksOverThreshold.fit(data, thresholdQuantile, bootstrap, seed), BlockMaxima.fit(data, bootstrap, seed),
                SampleOrderChecks.of(threads, seed));
    }

    /**
     * A pWCET bound the data supports, or why it does not: {@code ns} the upper end of the
     * peaks-over-threshold 95 % interval at the probability, -1 with {@code refusal} saying why.
     */
    public record Bound(long ns, String refusal) {
        public boolean supported() {
            return refusal == null;
        }
    }

    /**
     * The pWCET at {@code probability} (one of {@link PeaksOverThreshold#PROBABILITIES}) as a bound:
     * refused when the fit is not good, the bound is infinite, the probability lies more than
     * three decades beyond the samples, or block maxima disagree there; the interval's upper end
     * otherwise, so the bound errs on the safe side of the sampling error.
     */
    public Bound boundAt(double probability) {
        TailModel fit = peaksOverThreshold;
        if (!fit.usable()) return new Bound(-1, "the tail fit is " + fit.verdict());
        TailModel.Quantile q = fit.at(probability);
        if (q == null) return new Bound(-1, "the pWCET at " + probability + " was not computed");
        if (!q.bounded()) return new Bound(-1, "the pWCET at " + probability + " is unbounded (shape xi >= 1)");
        if (q.extrapolated()) {
            return new Bound(-1, "the pWCET at " + probability + " extrapolates more than three decades beyond the " + fit.samples() + " samples");
        }
        if (disagreements().contains(probability)) return new Bound(-1, "peaks over threshold and block maxima disagree at " + probability);
        return new Bound(Math.round(q.highNs()), null);
    }

    /**
     * The probabilities at which both fits are good and their 95 % intervals do not overlap: the
     * two methods disagree beyond their sampling error, so at least one model is wrong there.
     */
    public List<Double> disagreements() {
        List<Double> out = new ArrayList<>();
        if (!peaksOverThreshold.usable() || !blockMaxima.usable()) return out;
        for (TailModel.Quantile a : peaksOverThreshold.quantiles()) {
            TailModel.Quantile b = blockMaxima.at(a.probability());
            if (b == null || Double.isNaN(a.lowNs()) || Double.isNaN(b.lowNs())) continue;
            if (a.highNs() < b.lowNs() || b.highNs() < a.lowNs()) out.add(a.probability());
        }
        return out;
    }
}
