package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.report.Limit;
import org.vmlat.report.LimitCheck;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.report.RunReport;
import org.vmlat.report.WorstCaseTable.Format;
import org.vmlat.report.WorstCaseTable.Metric;
import org.vmlat.store.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--rows", split = ",", description = "Dimensions for rows. Default: probe,interval; for a Xen run without --rows/--cols, the study's Xen tables.")
    List<String> rows;

    @Option(names = "--cols", split = ",", description = "Dimensions for columns. Default: target,load.")
    List<String> cols;

    @Option(names = "--metric", defaultValue = "max", converter = Converters.MetricName.class,
            description = "${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
    Metric metric;

    @Option(names = "--format", defaultValue = "text", description = "text, csv, markdown (with a caption: metric and unit) or json (one document, values in ns). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--html", paramLabel = "DIR", description = "Write a self-contained HTML report (DIR/index.html): tables, histograms, CCDFs, overlays, pWCET.")
    Path html;

    @Option(names = "--png", description = "With --html: also write every chart as PNG into DIR/png/.")
    boolean png;

    @Option(names = "--compare", paramLabel = "RUN", description = "With --html: compare this run (A) with RUN (B), scenario by scenario.")
    Long compareWith;

    @Mixin
    StoreOption store;

    @Mixin
    GateOptions gates;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Limit> limits = gates.limits();
        try (ResultStore s = store.open()) {
            RunReport report;
            try {
                report = RunReport.of(s, runId, rows, cols, html != null);
            } catch (IllegalArgumentException e) {
                throw new VmlatException(ExitCodes.USAGE, "--rows/--cols: " + e.getMessage());
            }
            if (format == Format.TEXT) out.print(report.header(metric));
            if (html != null) {
                Path index = report.writeHtml(s, html, png, compareWith);
                out.println("HTML report written to " + index + (png ? " (PNG charts in " + html.resolve("png") + ")" : ""));
            } else {
                out.print(report.tables(s, metric, format));
            }
            if (gates.any()) {
                List<Outcome> outcomes = LimitCheck.check(s.scenarios(runId), limits, sc -> s.threadResults(sc.id()));
                // the JSON document stays alone on standard output
                return GateOptions.judge(outcomes, "vmlat run " + runId, gates.junit, format == Format.JSON ? spec.commandLine().getErr() : out);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
