package org.vmlat.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.vmlat.latency.Durations;
import org.vmlat.sched.LatencyModel;
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

    @Option(names = "--store", paramLabel = "FILE", defaultValue = StoreOption.DEFAULT,
            description = "Results store for --latency-from RUN. Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(names = "--latency-model", defaultValue = "jitter", paramLabel = "MODEL",
            description = "How the latency enters: jitter (default), deadline or supply (see docs/analysis.md).")
    String model;

    record Bound(long ns, String origin) {}

    LatencyModel model() {
        return Converters.latencyModel("--latency-model", model);
    }

    Bound bound() {
        if (latency != null && latencyFrom != null) throw new VmlatException(ExitCodes.USAGE, "--latency and --latency-from exclude each other");
        if (latency != null) {
            return new Bound(Converters.micros("--latency", latency), "given");
        }
        if (latencyFrom != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(?::(\\d+))?(?::([a-z0-9.+-]+))?").matcher(latencyFrom);
            if (m.matches() && !Files.exists(Path.of(latencyFrom))) return fromStore(Long.parseLong(m.group(1)),
                    m.group(2) == null ? -1 : Integer.parseInt(m.group(2)), m.group(3) == null ? "max" : m.group(3));
            return fromResult(latencyFrom);
        }
        return new Bound(0, "none");
    }

    Bound fromStore(long run, int scenario, String metric) {
        StoreOption so = new StoreOption();
        so.store = store;
        try (org.vmlat.store.ResultStore rs = so.open()) {
            long worst = -1;
            int found = 0;
            for (org.vmlat.store.ScenarioRecord sc : rs.scenarios(run)) {
                if (scenario >= 0 && sc.index() + 1 != scenario) continue;
                found++;
                if (!sc.status().equals("done")) continue;
                if (metric.startsWith("pwcet")) {
                    double p;
                    try {
                        p = Double.parseDouble(metric.substring(5));
                    } catch (NumberFormatException e) {
                        throw new VmlatException(ExitCodes.USAGE, "--latency-from: pwcet takes a probability, e.g. pwcet1e-9");
                    }
                    int idx = java.util.Arrays.binarySearch(new double[] {1e-12, 1e-9, 1e-6}, p);
                    if (idx < 0) throw new VmlatException(ExitCodes.USAGE, "--latency-from: pwcet1e-6, pwcet1e-9 or pwcet1e-12");
                    var analysis = TailCommand.fits(rs, run, sc.index() + 1, 0.99, 200, 1).get(0).analysis();
                    var fit = analysis.peaksOverThreshold();
                    if (!fit.verdict().equals("good")) {
                        throw new VmlatException(ExitCodes.ERROR, "run " + run + " scenario " + (sc.index() + 1) + ": the tail fit is " + fit.verdict()
                                + " (vmlat tail " + run + ":" + (sc.index() + 1) + "); use max or a percentile");
                    }
                    var q = fit.at(p);
                    if (q == null || !q.bounded() || q.extrapolated()) {
                        throw new VmlatException(ExitCodes.ERROR, "run " + run + " scenario " + (sc.index() + 1) + ": the pWCET at " + metric.substring(5)
                                + (q == null ? " was not computed" : !q.bounded() ? " is unbounded (shape xi >= 1)"
                                : " extrapolates more than three decades beyond the " + fit.samples() + " samples")
                                + " (vmlat tail " + run + ":" + (sc.index() + 1) + "); use max, a percentile or a longer run");
                    }
                    if (analysis.disagreements().contains(p)) {
                        throw new VmlatException(ExitCodes.ERROR, "run " + run + " scenario " + (sc.index() + 1) + ": peaks over threshold and block maxima"
                                + " disagree at " + metric.substring(5) + " (vmlat tail " + run + ":" + (sc.index() + 1) + "); use max or a percentile");
                    }
                    worst = Math.max(worst, Math.round(q.highNs()));
                    continue;
                }
                for (org.vmlat.latency.ThreadSummary t : sc.threads()) {
                    long v = switch (metric) {
                        case "max" -> t.maxNs();
                        case "mean" -> Math.round(t.meanNs());
                        case "p50" -> t.p50Ns();
                        case "p90" -> t.p90Ns();
                        case "p99" -> t.p99Ns();
                        case "p99.9" -> t.p999Ns();
                        case "p99.99" -> t.p9999Ns();
                        default -> throw unknownMetric(metric);
                    };
                    worst = Math.max(worst, v);
                }
            }
            if (found == 0) throw new VmlatException(ExitCodes.ERROR, "run " + run + " has no scenario " + scenario + " (vmlat runs show " + run + ")");
            if (worst < 0) throw new VmlatException(ExitCodes.ERROR, "run " + run + (scenario >= 0 ? " scenario " + scenario : "")
                    + ": no finished scenario with a " + metric);
            return new Bound(worst, metric + " of run " + run + (scenario >= 0 ? " scenario " + scenario : ""));
        }
    }

    private static VmlatException unknownMetric(String metric) {
        if (metric.startsWith("pwcet")) {
            return new VmlatException(ExitCodes.USAGE, "--latency-from: pWCET bounds are fitted on stored runs: use RUN:SCENARIO:pwcet1e-9 (see vmlat tail)");
        }
        return new VmlatException(ExitCodes.USAGE, "--latency-from: unknown metric \"" + metric + "\" (max, mean, p50, p90, p99, p99.9, p99.99)");
    }

    static Bound fromResult(String spec) {
        String file = spec, metric = "max";
        int colon = spec.lastIndexOf(':');
        if (colon > 0 && !spec.substring(colon + 1).contains("/")) {
            file = spec.substring(0, colon);
            metric = spec.substring(colon + 1);
        }
        String key = switch (metric) {
            case "max" -> "max_ns";
            case "mean" -> "mean_ns";
            case "p50" -> "p50_ns";
            case "p90" -> "p90_ns";
            case "p99" -> "p99_ns";
            case "p99.9" -> "p99_9_ns";
            case "p99.99" -> "p99_99_ns";
            default -> throw unknownMetric(metric);
        };
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(Path.of(file)));
        } catch (IOException e) {
            throw new VmlatException(ExitCodes.ERROR, file + ": " + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
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
