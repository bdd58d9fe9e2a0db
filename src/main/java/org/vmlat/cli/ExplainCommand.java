package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.explain.CrossBoundaryJson;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.ExplanationSummary;
import org.vmlat.explain.ExplanationText;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "explain", mixinStandardHelpOptions = true,
        header = "Why the spikes of a traced run were late: L = L1 (timer late) + L2 (non-preemptible) + I (interference).",
        description = {"Prints, per scenario of a run made with [probe] explain = true (or trace_threshold), the share of",
            "L1, L2 and I in its explained spikes, the causes that took most time, and each spike with its trace file.",
            "See docs/explain.md for what each part means and what a trace cannot see."},
        footer = ExitCodes.FOOTER)
public final class ExplainCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN[:SCENARIO]")
    String target;

    @Option(names = "--top", defaultValue = "5", description = "Causes listed per scenario. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--spikes", defaultValue = "5", description = "Spikes listed per scenario, worst first. Default: ${DEFAULT-VALUE}.")
    int spikes;

    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
        if (top < 1 || spikes < 0) throw new VmlatException(ExitCodes.USAGE, "--top: expected >= 1; --spikes: expected >= 0");
        String[] parts = target.split(":");
        long run;
        int only;
        try {
            run = Long.parseLong(parts[0]);
            only = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            throw new VmlatException(ExitCodes.USAGE, "expected RUN or RUN:SCENARIO (numbers, see vmlat runs list), got \"" + target + "\"");
        }
        PrintWriter out = spec.commandLine().getOut();
        int traced = 0;
        try (ResultStore s = store.open()) {
            for (ScenarioRecord sc : s.scenarios(run)) {
                if (only >= 0 && sc.index() + 1 != only) continue;
                String json = sc.settings().get(SettingsKeys.EXPLAIN);
                if (json == null) continue;
                traced++;
                List<SpikeExplanation> explained;
                try {
                    explained = ExplanationJson.read(json);
                } catch (IllegalArgumentException e) {
                    throw new VmlatException(ExitCodes.ERROR, "run " + run + " scenario " + (sc.index() + 1) + ": " + e.getMessage());
                }
                out.println("Scenario " + (sc.index() + 1) + " " + sc.dims() + (sc.settings().containsKey(SettingsKeys.TRACE_THRESHOLD_NS)
                        ? ", spikes from " + Long.parseLong(sc.settings().get(SettingsKeys.TRACE_THRESHOLD_NS)) / 1000 + " us" : "") + ":");
                out.print(ExplanationText.summary(ExplanationSummary.of(explained, top)));
                CrossBoundaryJson.Document host = hostSide(sc, run);
                for (SpikeExplanation e : explained.subList(0, Math.min(spikes, explained.size()))) {
                    out.print("  " + ExplanationText.spike(e, 3));
                    if (host != null) out.print(ExplanationText.hostSide(e, host));
                }
                out.println();
            }
        }
        if (traced == 0) {
            throw new VmlatException(ExitCodes.ERROR, "run " + run + (only >= 0 ? " scenario " + only : "")
                    + ": nothing traced (run the plan with [probe] explain = true)");
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** A guest scenario's host side, or null when it has none. */
    private static CrossBoundaryJson.Document hostSide(ScenarioRecord sc, long run) {
        String json = sc.settings().get(SettingsKeys.EXPLAIN_HOST);
        if (json == null) return null;
        try {
            return CrossBoundaryJson.read(json);
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.ERROR, "run " + run + " scenario " + (sc.index() + 1) + ": " + e.getMessage());
        }
    }
}
