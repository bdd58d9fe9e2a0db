package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vmlat.explain.trace.TraceRecorder;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.latency.cyclictest.CyclictestHistogramWriter;
import org.vmlat.os.CpuClaims;
import org.vmlat.os.CpuList;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.report.IntervalLogWriter;
import org.vmlat.report.LatencyUnit;
import org.vmlat.report.Limit;
import org.vmlat.report.LimitCheck;
import org.vmlat.report.ResultJsonFormat;
import org.vmlat.report.SummaryTextFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "measure", header = "Measure the wake-up latency of periodic real-time threads on this machine.",
        description = {
            "Each thread sleeps until an absolute deadline on CLOCK_MONOTONIC (clock_nanosleep, TIMER_ABSTIME),",
            "reads the clock on waking and records latency = wake-up time - deadline, as cyclictest does.",
            "Options mean what cyclictest's options of the same letter mean. Durations take units",
            "(50us, 1ms, 10s, 5m); a bare number is us for -i/-d/-b and s for -D, as in cyclictest.",
            "Ctrl-C or SIGTERM stops the run and still prints and writes what was measured."},
        footer = ExitCodes.FOOTER, sortOptions = false)
public final class MeasureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help (-h is --histogram, as in cyclictest).")
    boolean help;

    @Mixin
    ProbeOptions probe;

    @Option(names = "--json", paramLabel = "FILE", description = "Write vmlat's result (summary, percentiles, spikes, histograms, settings, system facts).")
    Path json;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log (one interval per second per thread, tag T<n>, values in ns).")
    Path hlog;

    @Mixin
    ExplainOptions explanation;

    @Mixin
    GateOptions gates;

    @Option(names = {"-q", "--quiet"}, description = "No live status lines; print the summary at the end only.")
    boolean quiet;

    private List<Limit> limits;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        limits = gates.limits(); // before measuring: a typo in a limit must not cost a run
        SystemFacts facts = SystemFactsReader.live();
        ProbeSpec probeSpec = probe.spec(facts);
        Probe engine = probe.probe(probeSpec);
        Leftovers.endOrRefuse(err);
        // another vmlat measuring on these CPUs would disturb this measurement and be disturbed by it: refuse
        List<Integer> measured = probeSpec.cpus().isEmpty() ? facts.onlineCpus() : probeSpec.cpus();
        CpuClaims.Attempt attempt;
        try {
            attempt = CpuClaims.inStateFolder().tryClaim(measured, "measure");
        } catch (IOException e) {
            err.println("vmlat: warning: cannot claim CPUs " + CpuList.format(measured) + " (" + e + "): another vmlat measuring on them "
                    + "would go unnoticed");
            return measure(engine, probeSpec, facts, out, err);
        }
        if (attempt.busy().isPresent()) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, attempt.busy().get().message()
                    + "; measuring at the same time would disturb both: wait for it, or choose other CPUs with -a");
        }
        try (CpuClaims.Claim claim = attempt.claim().orElseThrow()) {
            return measure(engine, probeSpec, facts, out, err);
        }
    }

    private Integer measure(Probe engine, ProbeSpec probeSpec, SystemFacts facts, PrintWriter out, PrintWriter err) throws IOException {
        out.println(probe.header(probeSpec, facts));
        out.flush();

        RunControl control = new RunControl();
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            control.requestStop(StopReason.INTERRUPTED);
            try {
                written.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vmlat-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (IntervalLogWriter log = hlog == null ? null : new IntervalLogWriter(Files.newOutputStream(hlog),
                "vmlat measure: wake-up latency in ns, one interval per thread per second, tag T<thread>")) {
            LatencyUnit unit = probe.setup.nsecs ? LatencyUnit.NS : LatencyUnit.US;
            LiveStatus status = new LiveStatus(out, err, !quiet && System.console() != null, log, unit);
            TraceRecorder recorder = explanation.start(probe.engine.name(), probeSpec);
            MeasurementResult r;
            try (PrivateFolder.Use probeWritesThere = PrivateFolder.use()) {
                r = engine.run(probeSpec, status, control);
            } catch (RuntimeException e) {
                if (recorder != null) recorder.close();
                throw e;
            }
            r = new MeasurementResult(r.engine(), r.settings(), merged(facts, r), r.realtime(), r.threads(),
                    r.startEpochMs(), r.endEpochMs(), r.startMonotonicNs(), r.stopReason(), r.breaktrace(), r.warnings());
            status.clear();
            if (log != null && log.intervals() == 0) {
                // the probe gave no intervals (cyclictest keeps none): log what is known, the whole run
                long overflows = log.wholeRun(r);
                err.println("vmlat: warning: " + r.engine() + " reports no per-second intervals: " + hlog
                        + " holds one interval per thread covering the whole run"
                        + (overflows > 0 ? "; " + overflows + " samples beyond the histogram's range are not in it" : ""));
                err.flush();
            }
            // beside a histogram every other line is a comment, as cyclictest -h -q prints it
            PrintWriter text = probe.histogramNs != null ? CommentedOutput.of(out) : out;
            if (recorder != null) r = explanation.explain(recorder, r, text, err);
            text.flush();
            if (probe.histogramNs != null) {
                out.print(CyclictestHistogramWriter.write(r.threads(), (int) Math.max(1, probe.histogramNs / 1000)));
                out.flush();
            }
            text.print(SummaryTextFormat.write(r, 5, unit));
            if (r.stopReason() == StopReason.INTERRUPTED) text.println("Interrupted: the result covers what was measured until then.");
            if (json != null) {
                Files.writeString(json, ResultJsonFormat.write(r));
                text.println("Result written to " + json);
            }
            if (hlog != null) text.println("Interval log written to " + hlog);
            text.flush();
            int gate = ExitCodes.OK;
            if (gates.any()) {
                MeasurementResult done = r;
                gate = GateOptions.judge(LimitCheck.check("measure", Map.of(), done.threads().stream().map(ThreadSummary::of).toList(),
                        done::threads, limits), "vmlat measure", gates.junit, text);
            }
            return r.stopReason() == StopReason.BREAKTRACE ? ExitCodes.THRESHOLD : gate;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has been released above
            }
        }
    }

    /** The system facts read before the run, with what the engine learnt about the system added. */
    private static Map<String, String> merged(SystemFacts facts, MeasurementResult r) {
        Map<String, String> m = new LinkedHashMap<>(facts.asMap());
        m.putAll(r.system());
        return m;
    }
}
