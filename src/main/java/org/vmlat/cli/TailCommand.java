package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.report.TailFits;
import org.vmlat.report.TailFits.Fit;
import org.vmlat.report.TailFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "tail", mixinStandardHelpOptions = true,
        header = "Probabilistic worst case (pWCET) of the latency tail: peaks over threshold, block maxima as a cross-check.",
        description = {"Fits a generalised Pareto distribution to the latencies above a high threshold (bucketed data as intervals)",
            "and prints the latency exceeded with probability 1e-6, 1e-9 and 1e-12 per activation, with bootstrap 95% intervals;",
            "a GEV fit of block maxima checks it. Assumes independent, identically distributed activations and a stationary run,",
            "tested when the sample order is known; the output states each assumption (see docs/tail.md)."},
        footer = ExitCodes.FOOTER)
public final class TailCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN[:SCENARIO]|FILE",
            description = "A stored run (all its scenarios) or scenario, or a measurement file: cyclictest output or a vmlat result.")
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

    @Override
    public Integer call() throws Exception {
        if (threshold < 0.9 || threshold > 0.9999) throw new VmlatException(ExitCodes.USAGE, "--threshold: expected 0.9..0.9999, got " + threshold);
        if (bootstrap < 0 || bootstrap > 10_000) throw new VmlatException(ExitCodes.USAGE, "--bootstrap: expected 0..10000");
        List<Fit> fits;
        long run;
        try (MeasurementSource source = MeasurementSource.open(target, store)) {
            run = source.run();
            fits = TailFits.of(source.store(), run, source.scenario(), threshold, bootstrap, seed);
            if (fits.isEmpty()) throw new VmlatException(ExitCodes.ERROR, source.isFile()
                    ? source.label() + ": no samples to fit" : nothingToFit(source.store().scenarios(run), run, source.scenario()));
            if (source.isFile() && !json) spec.commandLine().getOut().println("# " + target + ": imported in memory as run " + run);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<TailFormat.ScenarioTail> tails = fits.stream().map(f -> new TailFormat.ScenarioTail(f.scenario(), f.dims(), f.analysis())).toList();
        out.print(json ? TailFormat.json(tails) : TailFormat.text(new TailFormat.Settings(run, threshold, bootstrap), tails));
        out.flush();
        return ExitCodes.OK;
    }

    /** Why a stored run or scenario gave nothing to fit: a scenario it does not have, or scenarios that did not finish. */
    static String nothingToFit(List<ScenarioRecord> scenarios, long run, int scenario) {
        String see = " (vmlat runs show " + run + ")";
        if (scenario > scenarios.size()) {
            return "run " + run + " has no scenario " + scenario + ": it has " + (scenarios.isEmpty() ? "none"
                    : scenarios.size() == 1 ? "scenario 1 only" : "scenarios 1 to " + scenarios.size()) + see;
        }
        List<String> states = new java.util.ArrayList<>();
        for (ScenarioRecord sc : scenarios) {
            if (scenario >= 0 && sc.index() + 1 != scenario) continue;
            states.add((sc.index() + 1) + " " + sc.status().name().toLowerCase(java.util.Locale.ROOT)
                    + (sc.reason() == null || sc.reason().isBlank() ? "" : " (" + sc.reason() + ")"));
        }
        return "run " + run + (scenario >= 0 ? " scenario " + scenario : "") + ": no finished scenario with samples to fit; scenario "
                + String.join(", ", states) + see;
    }
}
