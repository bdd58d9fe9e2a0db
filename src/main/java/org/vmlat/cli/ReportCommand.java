package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vmlat.report.StressComparison;
import org.vmlat.report.WorstCaseTable;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        header = "The worst-case table of a run, pivoted by any plan dimensions, and stress vs no stress.",
        description = {"Rows and columns name plan dimensions (target, probe, interval, load, priority, repetition),",
            "e.g. --rows probe,interval --cols target,load as in the reference study's tables."},
        footer = ExitCodes.FOOTER)
public final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--rows", split = ",", description = "Dimensions for rows. Default: probe,interval; for a Xen run without --rows/--cols, the study's Xen tables.")
    List<String> rows;

    @Option(names = "--cols", split = ",", description = "Dimensions for columns. Default: target,load.")
    List<String> cols;

    @Option(names = "--metric", defaultValue = "max", description = "max, p99, p99.9, p99.99 or mean. Default: ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--format", defaultValue = "text", description = "text, csv or markdown. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--html", paramLabel = "DIR", description = "Write a self-contained HTML report (DIR/index.html): tables, histograms, CCDFs, overlays, pWCET.")
    java.nio.file.Path html;

    @Option(names = "--png", description = "With --html: also write every chart as PNG into DIR/png/.")
    boolean png;

    @Option(names = "--compare", paramLabel = "RUN", description = "With --html: compare this run (A) with RUN (B), scenario by scenario.")
    Long compareWith;

    @Mixin
    StoreOption store;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter out = spec.commandLine().getOut();
        WorstCaseTable.Metric m;
        WorstCaseTable.Format f;
        try {
            m = WorstCaseTable.Metric.parse(metric);
            f = WorstCaseTable.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, "--metric/--format: " + (e.getMessage().startsWith("unknown metric") ? e.getMessage()
                    : "expected text, csv or markdown, got \"" + format + "\""));
        }
        try (ResultStore s = store.open()) {
            RunRecord run = s.run(runId);
            List<ScenarioRecord> all = s.scenarios(runId);
            boolean xen = rows == null && cols == null && org.vmlat.report.XenStudyTables.applies(all);
            boolean xenLayout = xen && html == null;
            if (xen) {
                // the HTML report's pivots for a Xen run: guest kernel and period against mode and load
                boolean kernels = all.stream().anyMatch(x -> x.dims().containsKey("kernel"));
                rows = kernels ? List.of("kernel", "interval") : List.of("target", "interval");
                cols = List.of("mode", "load");
            }
            if (rows == null) rows = List.of("probe", "interval");
            if (cols == null) cols = List.of("target", "load");
            WorstCaseTable.Pivot p;
            try {
                p = WorstCaseTable.pivot(all, rows, cols, m);
            } catch (IllegalArgumentException e) {
                throw new VmlatException(ExitCodes.USAGE, "--rows/--cols: " + e.getMessage());
            }
            if (f == WorstCaseTable.Format.TEXT) {
                out.printf("# run %d (%s): %s latency in us, %s %s, %d scenarios%s%n", run.id(), run.name(), m.label,
                        run.system().getOrDefault("kernel.release", "?"), run.system().getOrDefault("kernel.preemption", ""), all.size(),
                        run.status().equals("done") ? "" : " [run " + run.status() + "]");
            }
            if (html != null) {
                writeHtml(s, run, all, p, out);
                return ExitCodes.OK;
            }
            if (xenLayout) {
                out.print(org.vmlat.report.XenStudyTables.render(all, m, f));
                if (f == WorstCaseTable.Format.TEXT) {
                    if (all.stream().anyMatch(x -> x.status().equals("failed"))) out.println("Failed scenarios: vmlat runs show " + runId + " has their reasons.");
                    org.vmlat.report.Emulation.notes(all).forEach(out::println);
                }
                out.flush();
                return ExitCodes.OK;
            }
            out.print(WorstCaseTable.render(p, f));
            if (f == WorstCaseTable.Format.TEXT) {
                List<StressComparison.Row> cmp = StressComparison.rows(all, m);
                if (!cmp.isEmpty()) {
                    out.println();
                    out.println("Stress vs no stress (" + m.label + "):");
                    out.print(StressComparison.render(cmp, m));
                }
                if (all.stream().anyMatch(x -> !x.realtime() && !x.threads().isEmpty())) out.println("NON-RT: some scenarios ran without real-time scheduling.");
                org.vmlat.report.Emulation.notes(all).forEach(out::println);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private void writeHtml(ResultStore s, RunRecord run, List<ScenarioRecord> all, WorstCaseTable.Pivot maxPivot, PrintWriter out)
            throws java.io.IOException {
        java.nio.file.Files.createDirectories(html);
        // histograms are read one by one (one store connection), tails are fitted on all cores
        List<org.HdrHistogram.AbstractHistogram> histograms = new java.util.ArrayList<>();
        for (ScenarioRecord sc : all) histograms.add(merged(s, sc));
        List<org.vmlat.report.HtmlReport.ScenarioData> data = java.util.stream.IntStream.range(0, all.size()).parallel()
                .mapToObj(i -> {
                    org.HdrHistogram.AbstractHistogram h = histograms.get(i);
                    // whole-us sources (cyclictest) are fitted as intervals, not as exact values
                    long resolutionNs = all.get(i).threads().stream().mapToLong(t -> t.resolutionNs()).max().orElse(1);
                    org.vmlat.stats.TailModel tail = h.getTotalCount() >= 1000
                            ? org.vmlat.stats.PeaksOverThreshold.fit(org.vmlat.stats.LatencyBuckets.of(h, resolutionNs, 0), 0.99, 50, 1) : null;
                    return new org.vmlat.report.HtmlReport.ScenarioData(all.get(i), h, tail);
                }).toList();
        List<org.vmlat.report.HtmlReport.ComparedPair> pairs = new java.util.ArrayList<>();
        if (compareWith != null) {
            s.run(compareWith);
            List<ScenarioRecord> other = s.scenarios(compareWith);
            for (ScenarioRecord a : all) {
                for (ScenarioRecord b : other) {
                    if (!a.dims().equals(b.dims())) continue;
                    org.HdrHistogram.AbstractHistogram ha = merged(s, a), hb = merged(s, b);
                    if (ha.getTotalCount() == 0 || hb.getTotalCount() == 0) continue;
                    String mixed = org.vmlat.report.Emulation.mixed(a, b);
                    String label = org.vmlat.report.HtmlReport.label(a) + (mixed == null ? "" : " (" + mixed + ")");
                    pairs.add(new org.vmlat.report.HtmlReport.ComparedPair(label,
                            org.vmlat.stats.Comparison.compare(ha, hb, CompareCommand.PERCENTILES, 200, 0.95, 1)));
                }
            }
        }
        var metricPivot = (java.util.function.Function<WorstCaseTable.Metric, WorstCaseTable.Pivot>) m -> WorstCaseTable.pivot(all, rows, cols, m);
        String page = org.vmlat.report.HtmlReport.write(run, data, maxPivot, metricPivot.apply(WorstCaseTable.Metric.P999),
                metricPivot.apply(WorstCaseTable.Metric.MEAN), compareWith == null ? null : Long.toString(compareWith), pairs);
        java.nio.file.Path index = html.resolve("index.html");
        java.nio.file.Files.writeString(index, page);
        if (png) {
            java.nio.file.Path dir = html.resolve("png");
            java.nio.file.Files.createDirectories(dir);
            for (var d : data) {
                if (d.histogram().getTotalCount() == 0) continue;
                int n = d.scenario().index() + 1;
                try (var o = java.nio.file.Files.newOutputStream(dir.resolve("scenario-" + n + "-histogram.png"))) {
                    org.vmlat.report.ChartPng.write("scenario " + n + ": " + org.vmlat.report.HtmlReport.label(d.scenario()), "count", "histogram",
                            org.vmlat.stats.Distribution.logBins(d.histogram(), 1.12), o);
                }
                try (var o = java.nio.file.Files.newOutputStream(dir.resolve("scenario-" + n + "-ccdf.png"))) {
                    org.vmlat.report.ChartPng.write("scenario " + n + ": " + org.vmlat.report.HtmlReport.label(d.scenario()), "fraction above", "ccdf",
                            org.vmlat.stats.Distribution.ccdf(d.histogram()), o);
                }
            }
        }
        out.println("HTML report written to " + index + (png ? " (PNG charts in " + html.resolve("png") + ")" : ""));
        out.flush();
    }

    static org.HdrHistogram.AbstractHistogram merged(ResultStore s, ScenarioRecord sc) {
        org.HdrHistogram.AbstractHistogram all = org.vmlat.latency.LatencyHistograms.create();
        for (org.vmlat.latency.ThreadResult t : s.threadResults(sc.id())) all.add(t.histogram());
        return all;
    }
}
