package org.vmlat.report;

import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/** A scenario's samples as one distribution: the histograms of all its threads added together. */
public final class ScenarioHistograms {
    private ScenarioHistograms() {}

    public static AbstractHistogram merged(ResultStore store, ScenarioRecord scenario) {
        AbstractHistogram all = LatencyHistograms.create();
        for (ThreadResult t : store.threadResults(scenario.id())) all.add(t.histogram());
        return all;
    }
}
