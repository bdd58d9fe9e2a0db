package org.vmlat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.report.Micros;
import org.vmlat.report.Table;
import org.vmlat.stats.PeaksOverThreshold;
import org.vmlat.stats.TailModel;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tail", mixinStandardHelpOptions = true,
        header = "Probabilistic worst case (pWCET) of the latency tail: a peaks-over-threshold fit.",
        description = {"Fits a generalised Pareto distribution to the latencies above a high threshold and prints the",
            "latency exceeded with probability 1e-6, 1e-9 and 1e-12 per activation, with bootstrap 95% intervals.",
            "Assumes independent, identically distributed activations and a stationary run (see docs/tail.md)."},
        footer = ExitCodes.FOOTER)
public final class TailCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN[:SCENARIO]")
    String target;

    @Option(names = "--threshold", defaultValue = "0.99", description = "Threshold quantile (0.9..0.9999). Default: ${DEFAULT-VALUE}.")
    double threshold;

    @Option(names = "--bootstrap", defaultValue = "200", description = "Bootstrap resamples for the intervals. Default: ${DEFAULT-VALUE}.")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--json", description = "Print the fits as JSON.")
    boolean json;

    @Mixin
    StoreOption store;

    /** One scenario's tail, all its threads' samples together. */
    record Fit(int scenario, Map<String, String> dims, TailModel model) {}

    @Override
    public Integer call() throws Exception {
        if (threshold < 0.9 || threshold > 0.9999) throw new VmlatException(ExitCodes.USAGE, "--threshold: expected 0.9..0.9999, got " + threshold);
        if (bootstrap < 0 || bootstrap > 10_000) throw new VmlatException(ExitCodes.USAGE, "--bootstrap: expected 0..10000");
        String[] parts = target.split(":");
        long run;
        int only;
        try {
            run = Long.parseLong(parts[0]);
            only = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            throw new VmlatException(ExitCodes.USAGE, "expected RUN or RUN:SCENARIO (numbers, see vmlat runs list), got \"" + target + "\"");
        }
        List<Fit> fits;
        try (ResultStore s = store.open()) {
            fits = fits(s, run, only, threshold, bootstrap, seed);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> list = new ArrayList<>();
            for (Fit f : fits) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("scenario", f.scenario());
                m.put("dims", f.dims());
                TailModel t = f.model();
                m.put("samples", t.samples());
                m.put("exceedances", t.fitted());
                m.put("threshold_ns", t.thresholdNs());
                m.put("xi", Double.isNaN(t.xi()) ? null : t.xi());
                m.put("sigma_ns", Double.isNaN(t.sigmaNs()) ? null : t.sigmaNs());
                m.put("qq_correlation", Double.isNaN(t.fitQuality()) ? null : t.fitQuality());
                m.put("verdict", t.verdict());
                List<Object> qs = new ArrayList<>();
                for (TailModel.Quantile q : t.quantiles()) {
                    qs.add(Map.of("probability", q.probability(), "latency_ns", Math.round(q.valueNs()),
                            "low_ns", Math.round(q.lowNs()), "high_ns", Math.round(q.highNs())));
                }
                m.put("pwcet", qs);
                list.add(m);
            }
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list));
        } else {
            out.printf(Locale.ROOT, "# vmlat tail run %d: GPD over the %s quantile, %d bootstrap resamples; latencies in us%n", run,
                    Double.toString(threshold), bootstrap);
            List<List<String>> rows = new ArrayList<>();
            for (Fit f : fits) {
                TailModel t = f.model();
                List<String> row = new ArrayList<>(List.of(Integer.toString(f.scenario()), String.join(" ", f.dims().values()),
                        Long.toString(t.samples()), Long.toString(t.fitted()), Micros.of(t.thresholdNs()),
                        Double.isNaN(t.xi()) ? "-" : String.format(Locale.ROOT, "%.3f", t.xi()), t.verdict()));
                for (int i = 0; i < PeaksOverThreshold.PROBABILITIES.length; i++) {
                    if (i < t.quantiles().size()) {
                        TailModel.Quantile q = t.quantiles().get(i);
                        row.add(Micros.of(Math.round(q.valueNs())) + (Double.isNaN(q.lowNs()) ? ""
                                : " [" + Micros.of(Math.round(q.lowNs())) + ", " + Micros.of(Math.round(q.highNs())) + "]"));
                    } else {
                        row.add("-");
                    }
                }
                rows.add(row);
            }
            out.print(Table.render(List.of("#", "scenario", "samples", "over u", "u", "xi", "fit", "1e-6", "1e-9", "1e-12"), rows));
            out.println("Each pWCET is the latency exceeded with that probability per activation, with a 95% bootstrap interval.");
            if (fits.stream().anyMatch(f -> !f.model().verdict().equals("good"))) {
                out.println("A \"poor\" fit means the tail above u is not GPD-like: try --threshold 0.999 or a longer run; \"too few data\": measure longer.");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    static List<Fit> fits(ResultStore s, long run, int only, double threshold, int bootstrap, long seed) {
        List<Fit> fits = new ArrayList<>();
        for (ScenarioRecord sc : s.scenarios(run)) {
            if (only >= 0 && sc.index() + 1 != only) continue;
            AbstractHistogram all = LatencyHistograms.create();
            for (ThreadResult t : s.threadResults(sc.id())) all.add(t.histogram());
            if (all.getTotalCount() == 0) continue;
            fits.add(new Fit(sc.index() + 1, sc.dims(), PeaksOverThreshold.fit(all, threshold, bootstrap, seed)));
        }
        if (fits.isEmpty()) {
            throw new VmlatException(ExitCodes.ERROR, "run " + run + (only >= 0 ? " scenario " + only : "") + ": no scenario with samples to fit");
        }
        return fits;
    }
}
