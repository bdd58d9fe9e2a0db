package org.vmlat.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.vmlat.explain.ExplanationSummary;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * The latency floor of a run that sweeps the guest's kernel command line: per target,
 * guest_cmdline and interval the lowest, median and highest latency over the cell's finished
 * scenarios, and where spikes were explained the share of their latency that the timer interrupt
 * came late (L¹). A timer resolution such as Xen's TIMER_SLOP shows as a floor: the minimum
 * stays near the slop whatever the interval, and moves with the parameter that sets it.
 */
public final class LatencyFloorTable {
    /** The plan dimension that sweeps the guest's command line. */
    static final String DIMENSION = "guest_cmdline";
    static final List<String> HEADER = List.of("target", "guest_cmdline", "interval", "scenarios", "samples", "min (us)", "p50 (us)", "max (us)", "L1 share");

    private LatencyFloorTable() {}

    /** Whether the run has the dimension (a section of the report only then). */
    public static boolean applies(List<ScenarioRecord> all) {
        return all.stream().anyMatch(s -> s.dims().containsKey(DIMENSION) && !s.dims().get(DIMENSION).equals("-"));
    }

    /** The rows, one per target × guest_cmdline × interval in the run's order; {@code histograms} gives a scenario's samples. */
    static List<List<String>> rows(List<ScenarioRecord> all, Function<ScenarioRecord, AbstractHistogram> histograms) {
        Map<List<String>, List<ScenarioRecord>> cells = new LinkedHashMap<>();
        for (ScenarioRecord s : all) {
            String cmdline = s.dims().get(DIMENSION);
            if (cmdline == null || cmdline.equals("-") || s.status() != ScenarioStatus.DONE || s.count() == 0) continue;
            cells.computeIfAbsent(List.of(s.dims().getOrDefault("target", "-"), cmdline, s.dims().getOrDefault("interval", "-")), k -> new ArrayList<>()).add(s);
        }
        List<List<String>> rows = new ArrayList<>();
        cells.forEach((key, scenarios) -> {
            long min = Long.MAX_VALUE, max = -1, samples = 0, resolution = 1;
            Histogram pooled = LatencyHistograms.create();
            List<SpikeExplanation> spikes = new ArrayList<>();
            for (ScenarioRecord s : scenarios) {
                for (ThreadSummary t : s.threads()) {
                    if (t.count() == 0) continue;
                    min = Math.min(min, t.minNs());
                    max = Math.max(max, t.maxNs());
                    samples += t.count();
                    resolution = Math.max(resolution, t.resolutionNs());
                }
                pooled.add(histograms.apply(s));
            }
            for (ExplanationTables.Traced t : ExplanationTables.traced(scenarios)) spikes.addAll(t.spikes());
            long p50 = pooled.getTotalCount() == 0 ? -1 : LatencyDistribution.of(pooled, resolution).quantileNs(50);
            String l1 = spikes.isEmpty() ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * ExplanationSummary.of(spikes, 0).share(Part.TIMER_LATE));
            rows.add(List.of(key.get(0), key.get(1).isEmpty() ? "(none)" : key.get(1), key.get(2), Integer.toString(scenarios.size()),
                    Long.toString(samples), Micros.of(min), Micros.of(p50), Micros.of(max), l1));
        });
        return rows;
    }

    /** The section in text or markdown; empty without the dimension, and in CSV and JSON (one table, one document). */
    public static String render(List<ScenarioRecord> all, Function<ScenarioRecord, AbstractHistogram> histograms, WorstCaseTable.Format f) {
        if (!applies(all) || f == WorstCaseTable.Format.CSV || f == WorstCaseTable.Format.JSON) return "";
        return "\nLatency floor per guest_cmdline and interval (L1 share: of the explained spikes' latency, the timer interrupt late):\n"
                + WorstCaseTable.table(HEADER, rows(all, histograms), f);
    }

    static String html(List<ScenarioRecord> all, Function<ScenarioRecord, AbstractHistogram> histograms) {
        if (!applies(all)) return "";
        return "<section id=\"latency-floor\"><h2>Latency floor per guest_cmdline and interval</h2>"
                + ExplanationTables.htmlTable("latency-floor", HEADER, rows(all, histograms)) + "</section>";
    }
}
