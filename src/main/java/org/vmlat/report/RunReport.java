package org.vmlat.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.stats.Comparison;
import org.vmlat.stats.LatencyBuckets;
import org.vmlat.stats.PeaksOverThreshold;
import org.vmlat.stats.TailModel;
import org.vmlat.store.IntervalMax;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.RunStatus;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * The report of a stored run: the worst-case table pivoted by plan dimensions (or, for a Xen
 * run, the study's Xen tables), stress against no stress, and the self-contained HTML report
 * with histograms, tails and a comparison with another run.
 */
public final class RunReport {
    /** The percentiles a comparison of two runs reads, here and in {@code vmlat compare}. */
    public static final double[] COMPARED_PERCENTILES = {50, 90, 99, 99.9};
    /** Scenarios with fewer samples get no tail fit in the HTML report. */
    private static final long MIN_SAMPLES_FOR_TAIL = 1000;

    private final RunRecord run;
    private final List<ScenarioRecord> all;
    private final List<String> rows;
    private final List<String> cols;
    private final boolean xenLayout;

    private RunReport(RunRecord run, List<ScenarioRecord> all, List<String> rows, List<String> cols, boolean xenLayout) {
        this.run = run;
        this.all = all;
        this.rows = rows;
        this.cols = cols;
        this.xenLayout = xenLayout;
    }

    /**
     * The report of {@code runId} with these row and column dimensions (null: the defaults, which
     * for a Xen run are the study's layout in text and its pivots in HTML).
     *
     * @throws IllegalArgumentException naming a dimension the run does not have
     */
    public static RunReport of(ResultStore store, long runId, List<String> rows, List<String> cols, boolean html) {
        RunRecord run = store.run(runId);
        List<ScenarioRecord> all = store.scenarios(runId);
        boolean xen = rows == null && cols == null && XenStudyTables.applies(all);
        if (xen) {
            // the HTML report's pivots for a Xen run: guest kernel and period against mode and load
            boolean kernels = all.stream().anyMatch(x -> x.dims().containsKey("kernel"));
            rows = kernels ? List.of("kernel", "interval") : List.of("target", "interval");
            cols = List.of("mode", "load");
        }
        if (rows == null) rows = List.of("probe", "interval");
        // reservations side by side: a run sweeping them would otherwise show only the worst of each cell
        boolean reserved = all.stream().map(x -> x.dims().get(ReservationPrediction.DIMENSION)).filter(v -> v != null).distinct().count() > 1;
        if (cols == null) cols = reserved ? List.of("target", ReservationPrediction.DIMENSION) : List.of("target", "load");
        WorstCaseTable.pivot(all, rows, cols, WorstCaseTable.Metric.MAX);
        return new RunReport(run, all, rows, cols, xen && !html);
    }

    /** The first line of the text report: the run, the metric, the host and whether the run finished. */
    public String header(WorstCaseTable.Metric m) {
        return String.format(Locale.ROOT, "# run %d (%s): %s latency in us, %s %s, %d scenarios%s%n", run.id(), TerminalText.inert(run.name()), m.label,
                run.system().getOrDefault("kernel.release", "?"), run.system().getOrDefault("kernel.preemption", ""), all.size(),
                run.status() == RunStatus.DONE ? "" : " [run " + run.status().storedName() + "]");
    }

    /**
     * The tables in {@code f}; in text also stress against no stress (its cells with one
     * repetition judged by a bootstrap over the samples in {@code store}) and the notes on
     * failed, non-RT and emulated scenarios.
     */
    public String tables(ResultStore store, WorstCaseTable.Metric m, WorstCaseTable.Format f) {
        StringBuilder out = new StringBuilder();
        boolean text = f == WorstCaseTable.Format.TEXT;
        StressComparison.Samples samples = samples(store);
        if (f == WorstCaseTable.Format.JSON) return WorstCaseTable.render(WorstCaseTable.pivot(all, rows, cols, m), f);
        if (xenLayout) {
            out.append(XenStudyTables.render(all, m, f, samples));
            if (text && all.stream().anyMatch(x -> x.status() == ScenarioStatus.FAILED)) {
                out.append("Failed scenarios: vmlat runs show ").append(run.id()).append(" has their reasons.\n");
            }
        } else {
            out.append(WorstCaseTable.render(WorstCaseTable.pivot(all, rows, cols, m), f));
            List<StressComparison.Row> cmp = text ? StressComparison.rows(all, m, samples) : List.of();
            if (!cmp.isEmpty()) {
                out.append("\nStress vs no stress (").append(m.label).append("):\n").append(StressComparison.render(cmp, m));
            }
            String predicted = text ? ReservationPrediction.text(ReservationPrediction.rows(all)) : "";
            if (!predicted.isEmpty()) out.append('\n').append(predicted);
            if (text && all.stream().anyMatch(x -> !x.realtime() && !x.threads().isEmpty())) {
                out.append("NON-RT: some scenarios ran without real-time scheduling.\n");
            }
        }
        out.append(LatencyFloorTable.render(all, sc -> ScenarioHistograms.merged(store, sc), f));
        out.append(ExplanationTables.render(all, f));
        if (text) Emulation.notes(all).forEach(n -> out.append(n).append('\n'));
        return out.toString();
    }

    /** A scenario's threads pooled, read from the store (the one percentile rule of {@link LatencyDistribution}). */
    public static StressComparison.Samples samples(ResultStore store) {
        return sc -> LatencyDistribution.of(store.threadResults(sc.id()));
    }

    /**
     * Writes {@code dir/index.html} (and with {@code png} every chart into {@code dir/png/}),
     * comparing with run {@code compareWith} scenario by scenario when it is not null.
     */
    public Path writeHtml(ResultStore store, Path dir, boolean png, Long compareWith) throws IOException {
        Files.createDirectories(dir);
        // histograms are read one by one (one store connection), tails are fitted on all cores
        List<AbstractHistogram> histograms = new ArrayList<>();
        List<List<IntervalMax>> intervals = new ArrayList<>();
        for (ScenarioRecord sc : all) {
            histograms.add(ScenarioHistograms.merged(store, sc));
            intervals.add(store.intervals(sc.id()));
        }
        List<HtmlReport.ScenarioData> data = IntStream.range(0, all.size()).parallel()
                .mapToObj(i -> {
                    AbstractHistogram h = histograms.get(i);
                    // whole-us sources (cyclictest) are fitted as intervals, not as exact values
                    long resolutionNs = all.get(i).threads().stream().mapToLong(t -> t.resolutionNs()).max().orElse(1);
                    TailModel tail = h.getTotalCount() >= MIN_SAMPLES_FOR_TAIL
                            ? PeaksOverThreshold.fit(LatencyBuckets.of(h, resolutionNs, 0), 0.99, 50, 1) : null;
                    return new HtmlReport.ScenarioData(all.get(i), h, tail, intervals.get(i));
                }).toList();
        List<HtmlReport.ComparedPair> pairs = compareWith == null ? List.of() : compared(store, compareWith);
        String page = HtmlReport.write(run, data, pivot(WorstCaseTable.Metric.MAX), pivot(WorstCaseTable.Metric.P999),
                pivot(WorstCaseTable.Metric.MEAN), compareWith == null ? null : Long.toString(compareWith), pairs);
        Path index = dir.resolve("index.html");
        Files.writeString(index, page);
        if (png) writePngs(data, dir.resolve("png"));
        return index;
    }

    private WorstCaseTable.Pivot pivot(WorstCaseTable.Metric m) {
        return WorstCaseTable.pivot(all, rows, cols, m);
    }

    private List<HtmlReport.ComparedPair> compared(ResultStore store, long other) {
        store.run(other);
        List<ScenarioRecord> theirs = store.scenarios(other);
        List<HtmlReport.ComparedPair> pairs = new ArrayList<>();
        for (ScenarioRecord a : all) {
            for (ScenarioRecord b : theirs) {
                if (!a.dims().equals(b.dims())) continue;
                // one percentile rule everywhere: bucket resolution and overflows are the distribution's to know
                LatencyDistribution ha = LatencyDistribution.of(store.threadResults(a.id())), hb = LatencyDistribution.of(store.threadResults(b.id()));
                if (!ha.hasBuckets() || !hb.hasBuckets()) continue;
                String mixed = Emulation.mixed(a, b);
                String label = HtmlReport.label(a) + (mixed == null ? "" : " (" + mixed + ")");
                pairs.add(new HtmlReport.ComparedPair(label, Comparison.compare(ha, hb, COMPARED_PERCENTILES, 200, 0.95, 1)));
            }
        }
        return pairs;
    }

    private static void writePngs(List<HtmlReport.ScenarioData> data, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (HtmlReport.ScenarioData d : data) {
            LatencyCharts.Samples sm = LatencyCharts.Samples.of(d.scenario(), d.histogram());
            if (sm.total() == 0) continue;
            int n = d.scenario().index() + 1;
            String title = "scenario " + n + ": " + HtmlReport.label(d.scenario());
            png(LatencyCharts.histogram(title + ", histogram", sm), dir.resolve("scenario-" + n + "-histogram.png"));
            png(LatencyCharts.ccdf(title + ", CCDF", sm), dir.resolve("scenario-" + n + "-ccdf.png"));
            Chart overTime = LatencyCharts.overTime(title + ", over time", d.intervals());
            if (overTime != null) png(overTime, dir.resolve("scenario-" + n + "-over-time.png"));
        }
    }

    private static void png(Chart chart, Path file) throws IOException {
        try (OutputStream o = Files.newOutputStream(file)) {
            ChartPng.write(chart, o);
        }
    }
}
