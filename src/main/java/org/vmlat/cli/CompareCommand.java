package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.report.Emulation;
import org.vmlat.report.HtmlReport;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.report.RegressionCheck;
import org.vmlat.report.RunReport;
import org.vmlat.report.Table;
import org.vmlat.stats.Comparison;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        header = "Compare two runs or scenarios percentile by percentile, with bootstrap confidence intervals.",
        description = {"A and B are RUN (scenarios matched by their dimensions), RUN:SCENARIO, or a measurement file (cyclictest",
            "output or a vmlat result, imported in memory; vmlat import --store keeps it). For each percentile: A, B,",
            "B - A and its interval from a bootstrap over the histograms; B is better, worse or indistinguishable."},
        footer = "%nExit codes: 0 compared (no regression), 1 error, 2 usage, 3 regression beyond --regression.")
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A")
    String a;

    @Parameters(index = "1", paramLabel = "B")
    String b;

    @Option(names = "--level", defaultValue = "0.95", description = "Confidence level. Default: ${DEFAULT-VALUE}.")
    double level;

    @Option(names = "--resamples", defaultValue = "500", description = "Bootstrap resamples. Default: ${DEFAULT-VALUE}.")
    int resamples;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--regression", paramLabel = "PCT",
            description = "Fail (exit 3) when B is worse than A at a percentile by more than PCT of A beyond the bootstrap interval (e.g. 10%%).")
    String regression;

    @Option(names = "--junit", paramLabel = "FILE", description = "With --regression: write one JUnit test case per scenario and percentile.")
    Path junit;

    @Mixin
    StoreOption store;

    @Override
    public Integer call() throws IOException {
        if (level <= 0.5 || level >= 1) throw new VmlatException(ExitCodes.USAGE, "--level: expected 0.5 < level < 1, got " + level);
        if (resamples < 20 || resamples > 100_000) throw new VmlatException(ExitCodes.USAGE, "--resamples: expected 20..100000");
        double margin = regression == null ? Double.NaN : margin(regression);
        if (junit != null && regression == null) throw new VmlatException(ExitCodes.USAGE, "--junit: needs --regression");
        PrintWriter out = spec.commandLine().getOut();
        List<Outcome> outcomes = new ArrayList<>();
        try (MeasurementSource sa = MeasurementSource.open(a, store); MeasurementSource sb = MeasurementSource.open(b, store)) {
            List<ScenarioRecord> as = pick(sa), bs = pick(sb);
            List<ScenarioRecord[]> pairs = new ArrayList<>();
            if (as.size() == 1 && bs.size() == 1) {
                pairs.add(new ScenarioRecord[] {as.get(0), bs.get(0)});
            } else {
                for (ScenarioRecord x : as) for (ScenarioRecord y : bs) if (x.dims().equals(y.dims())) pairs.add(new ScenarioRecord[] {x, y});
            }
            if (pairs.isEmpty()) throw new VmlatException(ExitCodes.ERROR, "no scenarios of " + a + " and " + b + " share their dimensions: compare RUN:SCENARIO pairs");
            out.printf(Locale.ROOT, "# vmlat compare %s (A) with %s (B): B - A with %.0f%% bootstrap intervals (%d resamples); latencies in us%n",
                    a, b, level * 100, resamples);
            for (MeasurementSource f : List.of(sa, sb)) if (f.isFile()) out.println("# " + f.label() + ": imported in memory");
            for (ScenarioRecord[] p : pairs) {
                LatencyDistribution ha = LatencyDistribution.of(sa.store().threadResults(p[0].id())),
                        hb = LatencyDistribution.of(sb.store().threadResults(p[1].id()));
                String title = HtmlReport.label(p[0]) + (p[0].dims().equals(p[1].dims()) ? "" : "  vs  " + HtmlReport.label(p[1]));
                if (!ha.hasBuckets() || !hb.hasBuckets()) {
                    out.println(title + ": no samples on one side, nothing to compare");
                    continue;
                }
                List<List<String>> rows = new ArrayList<>();
                List<Comparison.Row> compared = Comparison.compare(ha, hb, RunReport.COMPARED_PERCENTILES, resamples, level, seed);
                if (regression != null) outcomes.addAll(RegressionCheck.check(title, compared, margin));
                for (Comparison.Row r : compared) {
                    rows.add(List.of("p" + (r.percentile() == Math.rint(r.percentile()) ? Long.toString((long) r.percentile()) : Double.toString(r.percentile())),
                            String.format(Locale.ROOT, "%.1f", r.aNs() / 1e3), String.format(Locale.ROOT, "%.1f", r.bNs() / 1e3),
                            String.format(Locale.ROOT, "%+.1f", r.diffNs() / 1e3),
                            String.format(Locale.ROOT, "[%+.1f, %+.1f]", r.lowNs() / 1e3, r.highNs() / 1e3), r.verdict()));
                }
                out.println(title + " (" + ha.count() + " vs " + hb.count() + " samples, threads pooled):");
                String mixed = Emulation.mixed(p[0], p[1]);
                if (mixed != null) out.println(mixed);
                out.print(Table.render(List.of("percentile", "A", "B", "B - A", "interval", "B is"), rows));
            }
        }
        if (regression != null) return GateOptions.judge(outcomes, "vmlat compare " + a + " " + b, junit, out);
        out.flush();
        return ExitCodes.OK;
    }

    /** "10%" or "0.1" as a fraction of A; a usage error otherwise. */
    private static double margin(String text) {
        String t = text.strip();
        try {
            double v = t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
            if (v >= 0 && v <= 10) return v;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new VmlatException(ExitCodes.USAGE, "--regression: expected a margin such as 10% (0..1000%), got \"" + text + "\"");
    }

    private static List<ScenarioRecord> pick(MeasurementSource source) {
        List<ScenarioRecord> all = source.store().scenarios(source.run());
        if (source.scenario() < 0) return all;
        for (ScenarioRecord r : all) if (r.index() + 1 == source.scenario()) return List.of(r);
        throw new VmlatException(ExitCodes.ERROR, "run " + source.run() + " has no scenario " + source.scenario() + " (vmlat runs show " + source.run() + ")");
    }
}
