package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.ExplanationSummary;
import org.vmlat.explain.ExplanationText;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.explain.trace.SpikeExplainer;
import org.vmlat.explain.trace.TraceRecorder;
import org.vmlat.explain.trace.TracingUnavailableException;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.os.VmlatDirs;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.builtin.BuiltinProbe;
import picocli.CommandLine.Option;

/** {@code measure --explain}: kernel tracing beside the probe, and each spike explained as L = L1 + L2 + I. */
final class ExplainOptions {
    @Option(names = "--explain", description = "Trace the kernel (tracefs: sched, timer, irq, irq_vectors events) beside the probe and "
            + "explain each spike at or above --trace-threshold as L = L1 (timer interrupt late) + L2 (non-preemptible) + I (interference).")
    boolean explain;

    @Option(names = "--trace-threshold", defaultValue = "100us", converter = Converters.Micros.class, paramLabel = "DURATION",
            description = "With --explain: the latency from which a spike is explained and its trace kept. Default: ${DEFAULT-VALUE}.")
    long traceThresholdNs;

    @Option(names = "--trace-dir", paramLabel = "DIR", description = "With --explain: where the spikes' traces go. "
            + "Default: explain/measure-<time> in vmlat's state folder.")
    Path traceDir;

    /** Starts tracing when asked (null otherwise); only the builtin probe's timers can be found by their deadlines. */
    TraceRecorder start(String engine, ProbeSpec probeSpec) {
        if (!explain) return null;
        if (!engine.equals(BuiltinProbe.ENGINE)) {
            throw new VmlatException(ExitCodes.USAGE, "--explain needs the builtin probe: it finds the probe's timers by their deadlines");
        }
        try {
            // windows are cut a little below the threshold, so a spike just above it is never missed
            return TraceRecorder.start(TraceRecorder.Settings.forBuiltinProbe(traceThresholdNs * 4 / 5), probeSpec.cpus());
        } catch (TracingUnavailableException e) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, "--explain: " + e.getMessage());
        }
    }

    /**
     * Stops the recorder, explains the spikes, prints the explanations, keeps them beside their
     * traces and returns the result with them in its settings.
     */
    MeasurementResult explain(TraceRecorder recorder, MeasurementResult r, PrintWriter out, PrintWriter err) throws IOException {
        TraceRecorder.Recording rec = recorder.stop();
        Path dir = traceDir != null ? traceDir : VmlatDirs.state("explain").resolve("measure-" + r.startEpochMs());
        SpikeExplainer.Outcome o = SpikeExplainer.explain(rec, r, traceThresholdNs, dir);
        for (String p : o.problems()) err.println("vmlat: explain: " + p);
        out.print(ExplanationText.summary(ExplanationSummary.of(o.explained(), 5)));
        for (SpikeExplanation e : o.explained()) out.print(ExplanationText.spike(e, 3));
        if (o.explained().isEmpty()) return r;
        Files.writeString(dir.resolve("explanations.json"), ExplanationJson.write(o.explained()));
        out.println("Explanations and traces in " + dir + " (" + rec.eventsRead() + " events read)");
        Map<String, String> settings = new LinkedHashMap<>(r.settings());
        settings.put(SettingsKeys.EXPLAIN, ExplanationJson.write(o.explained()));
        return new MeasurementResult(r.engine(), settings, r.system(), r.realtime(), r.threads(), r.startEpochMs(), r.endEpochMs(),
                r.startMonotonicNs(), r.stopReason(), r.breaktrace(), r.warnings());
    }
}
