package org.vmlat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.report.TailFits;
import org.vmlat.report.WorstCaseTable.Metric;
import org.vmlat.sched.LatencyModel;
import org.vmlat.stats.PeaksOverThreshold;
import org.vmlat.stats.TailAnalysis;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import picocli.CommandLine.Option;

/** The latency bound an analysis accounts for: given, or read from a measurement. */
final class LatencyOptions {
    @Option(names = "--latency", paramLabel = "L", description = "Latency bound, e.g. 72us (a bare number is us).")
    String latency;

    @Option(names = "--latency-from", paramLabel = "SOURCE[:METRIC]",
            description = {"Take the latency from a measurement: RUN or RUN:SCENARIO of the store (vmlat runs list), or a vmlat",
                "result JSON (vmlat measure/import --json). METRIC: max (default), p99, p99.9, p99.99, p50 or mean;",
                "the largest over the threads (and scenarios) is used."})
    String latencyFrom;

    @Option(names = "--store", paramLabel = "FILE",
            description = "Results store for --latency-from RUN. " + StoreOption.DEFAULT_DESCRIPTION)
    String store;

    @Option(names = "--latency-model", defaultValue = "jitter", paramLabel = "MODEL",
            description = "How the latency enters: jitter (default), deadline, supply (one outage of L) or late_budget (the budget up to L late every period); see docs/analysis.md.")
    LatencyModel model;

    /** Far above any latency worth analysing, far below where the analyses' sums overflow. */
    static final long MAX_LATENCY_NS = 3_600_000_000_000L;

    record Bound(long ns, String origin) {}

    LatencyModel model() {
        return model;
    }

    Bound bound() {
        if (latency != null && latencyFrom != null) throw new VmlatException(ExitCodes.USAGE, "--latency and --latency-from exclude each other");
        if (latency != null) {
            long ns = Converters.micros("--latency", latency);
            if (ns > MAX_LATENCY_NS) throw new VmlatException(ExitCodes.USAGE, "--latency: " + latency + " is above 1h, the most an analysis takes");
            return new Bound(ns, "given");
        }
        if (latencyFrom != null) {
            Matcher m = Pattern.compile("(\\d+)(?::(\\d+))?(?::([a-z0-9.+-]+))?").matcher(latencyFrom);
            if (m.matches() && !Files.exists(Path.of(latencyFrom))) return fromStore(Long.parseLong(m.group(1)),
                    m.group(2) == null ? -1 : Integer.parseInt(m.group(2)), m.group(3) == null ? "max" : m.group(3));
            return fromResult(latencyFrom);
        }
        return new Bound(0, "none");
    }

    Bound fromStore(long run, int scenario, String metricName) {
        StoreOption so = new StoreOption();
        so.store = store;
        boolean pwcet = metricName.startsWith("pwcet");
        double probability = pwcet ? pwcetProbability(metricName) : Double.NaN;
        Metric metric = pwcet ? null : metric(metricName);
        try (ResultStore rs = so.open()) {
            long worst = -1;
            int found = 0;
            for (ScenarioRecord sc : rs.scenarios(run)) {
                if (scenario >= 0 && sc.index() + 1 != scenario) continue;
                found++;
                if (sc.status() != ScenarioStatus.DONE) continue;
                if (pwcet) {
                    worst = Math.max(worst, pwcetNs(rs, run, sc.index() + 1, probability));
                    continue;
                }
                for (ThreadSummary t : sc.threads()) worst = Math.max(worst, metric.of(t));
            }
            if (found == 0) throw new VmlatException(ExitCodes.ERROR, "run " + run + " has no scenario " + scenario + " (vmlat runs show " + run + ")");
            if (worst < 0) throw new VmlatException(ExitCodes.ERROR, "run " + run + (scenario >= 0 ? " scenario " + scenario : "")
                    + ": no finished scenario with a " + metricName);
            return new Bound(worst, metricName + " of run " + run + (scenario >= 0 ? " scenario " + scenario : ""));
        }
    }

    private static double pwcetProbability(String metricName) {
        double p;
        try {
            p = Double.parseDouble(metricName.substring("pwcet".length()));
        } catch (NumberFormatException e) {
            throw new VmlatException(ExitCodes.USAGE, "--latency-from: pwcet takes a probability, e.g. pwcet1e-9");
        }
        for (double known : PeaksOverThreshold.PROBABILITIES) if (known == p) return p;
        throw new VmlatException(ExitCodes.USAGE, "--latency-from: pwcet1e-6, pwcet1e-9 or pwcet1e-12");
    }

    /** The upper end of the scenario's pWCET interval at this probability, if its tail fit supports one. */
    private static long pwcetNs(ResultStore rs, long run, int scenario, double probability) {
        List<TailFits.Fit> fits = TailFits.of(rs, run, scenario, 0.99, 200, 1);
        if (fits.isEmpty()) throw new VmlatException(ExitCodes.ERROR, "run " + run + " scenario " + scenario + ": no samples to fit");
        TailAnalysis.Bound b = fits.get(0).analysis().boundAt(probability);
        if (!b.supported()) {
            throw new VmlatException(ExitCodes.ERROR, "run " + run + " scenario " + scenario + ": " + b.refusal()
                    + " (vmlat tail " + run + ":" + scenario + "); use max, a percentile or a longer run");
        }
        return b.ns();
    }

    private static Metric metric(String name) {
        if (name.startsWith("pwcet")) {
            throw new VmlatException(ExitCodes.USAGE, "--latency-from: pWCET bounds are fitted on stored runs: use RUN:SCENARIO:pwcet1e-9 (see vmlat tail)");
        }
        try {
            return Metric.parse(name);
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, "--latency-from: " + e.getMessage());
        }
    }

    static Bound fromResult(String spec) {
        String file = spec, metric = "max";
        int colon = spec.lastIndexOf(':');
        if (colon > 0 && !spec.substring(colon + 1).contains("/")) {
            file = spec.substring(0, colon);
            metric = spec.substring(colon + 1);
        }
        String key = metric(metric).key;
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new VmlatException(ExitCodes.ERROR, file + ": " + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()));
        }
        if (root == null || !"vmlat-result".equals(root.path("format").asText())) {
            throw new VmlatException(ExitCodes.ERROR, file + ": not a vmlat result (write one with vmlat measure --json or vmlat import --json)");
        }
        long worst = -1;
        for (JsonNode t : root.path("threads")) worst = Math.max(worst, t.path(key).asLong(-1));
        if (worst < 0) throw new VmlatException(ExitCodes.ERROR, file + ": no " + metric + " in the result (the distribution is unknown)");
        if (!root.path("realtime").asBoolean(true)) {
            System.err.println("vmlat: warning: " + file + " was measured without real-time scheduling (NON-RT)");
        }
        return new Bound(worst, metric + " of " + file);
    }
}
