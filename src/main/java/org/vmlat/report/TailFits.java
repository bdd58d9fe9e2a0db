package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vmlat.latency.ThreadResult;
import org.vmlat.stats.TailAnalysis;
import org.vmlat.stats.TailModel;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/** Tail (pWCET) fits of a stored run's scenarios, each over all its threads' samples together. */
public final class TailFits {
    /** One scenario's tail: its number (1-based), its plan dimensions and both fits. */
    public record Fit(int scenario, Map<String, String> dims, TailAnalysis analysis) {
        /** The primary (peaks-over-threshold) fit. */
        public TailModel model() {
            return analysis.peaksOverThreshold();
        }
    }

    private TailFits() {}

    /**
     * Fits every scenario of {@code run} with samples, or only scenario {@code only} (1-based; -1
     * for all). Scenarios without samples are left out, so the list may be empty.
     */
    public static List<Fit> of(ResultStore store, long run, int only, double thresholdQuantile, int bootstrap, long seed) {
        List<Fit> fits = new ArrayList<>();
        for (ScenarioRecord sc : store.scenarios(run)) {
            if (only >= 0 && sc.index() + 1 != only) continue;
            List<ThreadResult> threads = store.threadResults(sc.id());
            if (threads.stream().allMatch(t -> t.histogram().getTotalCount() == 0)) continue;
            // the threads' resolution and overflows go in: whole-us data is fitted as intervals
            fits.add(new Fit(sc.index() + 1, sc.dims(), TailAnalysis.of(threads, thresholdQuantile, bootstrap, seed)));
        }
        return fits;
    }
}
