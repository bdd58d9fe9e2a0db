package org.vmlat.stats;

import java.util.List;
import java.util.Optional;
import org.vmlat.latency.ThreadResult;

/**
 * The i.i.d. and stationarity checks of {@link ExceedanceSequence} over the threads of a
 * measurement whose sample order survived (spikes with cycle numbers), combined by Bonferroni:
 * each p-value is the smallest over the tested threads times their number (capped at 1), so a
 * small value means at least one thread violates the assumption. The extremal index is the
 * smallest over the threads.
 *
 * @param threadsTested threads with a usable sequence; 0 means "not tested: no sample order"
 */
public record SampleOrderChecks(int threads, int threadsTested, long exceedances, double extremalIndex, double independenceP,
                                double stationarityP) {
    /** P-values below this are reported as violations. */
    public static final double SIGNIFICANCE = 0.01;

    public boolean tested() {
        return threadsTested > 0;
    }

    public boolean independent() {
        return !tested() || independenceP >= SIGNIFICANCE;
    }

    public boolean stationary() {
        return !tested() || stationarityP >= SIGNIFICANCE;
    }

    public static SampleOrderChecks of(List<ThreadResult> threads, long seed) {
        int tested = 0;
        long exceedances = 0;
        double theta = Double.NaN, indep = 1, stat = 1;
        for (ThreadResult t : threads) {
            Optional<ExceedanceSequence> e = ExceedanceSequence.ofSpikes(t.spikes(), t.count());
            if (e.isEmpty()) continue;
            tested++;
            exceedances += e.get().exceedances();
            double th = e.get().extremalIndex();
            theta = Double.isNaN(theta) ? th : Math.min(theta, th);
            indep = Math.min(indep, e.get().independencePValue(seed));
            stat = Math.min(stat, e.get().stationarityPValue());
        }
        if (tested == 0) return new SampleOrderChecks(threads.size(), 0, 0, Double.NaN, Double.NaN, Double.NaN);
        return new SampleOrderChecks(threads.size(), tested, exceedances, theta, Math.min(1, indep * tested), Math.min(1, stat * tested));
    }
}
