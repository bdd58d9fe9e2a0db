package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.vmlat.latency.Durations;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.cyclictest.CyclictestHistogramWriter;
import org.vmlat.os.CpuClaims;
import org.vmlat.os.CpuList;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.ThreadStatus;
import org.vmlat.probe.builtin.BuiltinProbe;
import org.vmlat.probe.cyclictest.CyclictestProbe;
import org.vmlat.report.Micros;
import org.vmlat.report.ResultJsonFormat;
import org.vmlat.report.SummaryTextFormat;
import picocli.CommandLine.Command;
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
    enum Engine { builtin, cyclictest }

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help (-h is --histogram, as in cyclictest).")
    boolean help;

    @Option(names = "--probe", defaultValue = "builtin", description = "Engine: builtin (Java, ns resolution) or cyclictest (rt-tests, us). Default: ${DEFAULT-VALUE}.")
    Engine engine;

    @Option(names = {"-p", "--priority"}, defaultValue = "95", description = "Real-time priority 1..99. Default: ${DEFAULT-VALUE}.")
    int priority;

    @Option(names = "--policy", defaultValue = "fifo", description = "fifo, rr or other. Default: ${DEFAULT-VALUE}.")
    String policy;

    @Option(names = {"-i", "--interval"}, defaultValue = "1000us", converter = Converters.Micros.class,
            description = "Period of the threads. Default: ${DEFAULT-VALUE}.")
    long intervalNs;

    @Option(names = {"-d", "--distance"}, defaultValue = "0", converter = Converters.Micros.class,
            description = "Thread N runs at interval + N * distance. Default 0 (cyclictest's default is 500us; vmlat keeps threads comparable).")
    long distanceNs;

    @Option(names = {"-t", "--threads"}, arity = "0..1", fallbackValue = "0", defaultValue = "1",
            description = "Number of threads; -t alone: one per online CPU. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = {"-a", "--affinity"}, arity = "0..1", fallbackValue = "all", paramLabel = "CPUSET",
            description = "Pin threads round-robin to these CPUs (e.g. 0-3,6); -a alone: thread N on CPU N.")
    String affinity;

    @Option(names = {"-D", "--duration"}, defaultValue = "0", converter = Converters.Seconds.class,
            description = "How long to measure (10s, 5m, 2h); 0 = until Ctrl-C. Default: ${DEFAULT-VALUE}.")
    long durationNs;

    @Option(names = {"-l", "--loops"}, defaultValue = "0", description = "Activations per thread; 0 = unlimited.")
    long loops;

    @Option(names = {"-m", "--mlockall"}, negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Lock memory (mlockall); on by default, --no-mlockall to disable.")
    boolean mlockall;

    @Option(names = {"-b", "--breaktrace"}, defaultValue = "0", converter = Converters.Micros.class,
            description = "Stop when a latency exceeds this (e.g. 100us), report where, exit 3.")
    long breaktraceNs;

    @Option(names = {"-h", "--histogram"}, paramLabel = "MAX", converter = Converters.Micros.class,
            description = "Print a cyclictest-style histogram with 1 us buckets up to MAX (e.g. -h 200) after the run. "
                    + "With --probe cyclictest it is also cyclictest's -h range (default 10000us).")
    Long histogramNs;

    @Option(names = "--allow-nonrt", description = "Measure even if SCHED_FIFO/RR or mlockall is refused; the result is marked NON-RT.")
    boolean allowNonRt;

    @Option(names = "--warmup", defaultValue = "200ms", converter = Converters.Micros.class,
            description = "Real activations run and discarded before measuring (builtin). Default: ${DEFAULT-VALUE}.")
    long warmupNs;

    @Option(names = "--spikes", defaultValue = "10", description = "Worst activations kept per thread, with timestamps. Default: ${DEFAULT-VALUE}.")
    int spikes;

    @Option(names = "--json", paramLabel = "FILE", description = "Write vmlat's result (summary, percentiles, spikes, histograms, settings, system facts).")
    Path json;

    @Option(names = "--hlog", paramLabel = "FILE", description = "Write an HdrHistogram interval log (one interval per second per thread, tag T<n>, values in ns).")
    Path hlog;

    @Option(names = {"-q", "--quiet"}, description = "No live status lines; print the summary at the end only.")
    boolean quiet;

    @Option(names = "--cyclictest", defaultValue = "cyclictest", paramLabel = "PATH", description = "cyclictest executable. Default: ${DEFAULT-VALUE}.")
    String cyclictestPath;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SystemFacts facts = SystemFactsReader.live();
        ProbeSpec probeSpec = buildSpec(facts);
        Probe probe = engine == Engine.builtin ? new BuiltinProbe() : new CyclictestProbe(cyclictestPath);
        if (probe instanceof CyclictestProbe c) {
            try {
                c.command(probeSpec, Path.of("x"));
            } catch (IllegalArgumentException e) {
                throw new VmlatException(ExitCodes.USAGE, e.getMessage());
            }
        }
        Leftovers.endOrRefuse(err);
        // another vmlat measuring on these CPUs would disturb this measurement and be disturbed by it: refuse
        List<Integer> measured = probeSpec.cpus().isEmpty() ? facts.onlineCpus() : probeSpec.cpus();
        CpuClaims.Attempt attempt;
        try {
            attempt = CpuClaims.inStateFolder().tryClaim(measured, "measure");
        } catch (IOException e) {
            err.println("vmlat: warning: cannot claim CPUs " + CpuList.format(measured) + " (" + e + "): another vmlat measuring on them "
                    + "would go unnoticed");
            return measure(probe, probeSpec, facts, out, err);
        }
        if (attempt.busy().isPresent()) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, attempt.busy().get().message()
                    + "; measuring at the same time would disturb both: wait for it, or choose other CPUs with -a");
        }
        try (CpuClaims.Claim claim = attempt.claim().orElseThrow()) {
            return measure(probe, probeSpec, facts, out, err);
        }
    }

    private Integer measure(Probe probe, ProbeSpec probeSpec, SystemFacts facts, PrintWriter out, PrintWriter err) throws IOException {
        out.println(header(probeSpec, facts));
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
        try (HlogSink sink = hlog == null ? null : new HlogSink(hlog)) {
            boolean live = !quiet && System.console() != null;
            Listener listener = new Listener(out, err, live, sink);
            MeasurementResult r = probe.run(probeSpec, listener, control);
            r = new MeasurementResult(r.engine(), r.settings(), merged(facts, r), r.realtime(), r.threads(),
                    r.startEpochMs(), r.endEpochMs(), r.startMonotonicNs(), r.stopReason(), r.breaktrace(), r.warnings());
            listener.clearLive();
            if (histogramNs != null) {
                out.print(CyclictestHistogramWriter.write(r.threads(), (int) Math.max(1, histogramNs / 1000)));
            }
            out.print(SummaryTextFormat.write(r, 5));
            if (r.stopReason() == StopReason.INTERRUPTED) out.println("Interrupted: the result covers what was measured until then.");
            if (json != null) {
                Files.writeString(json, ResultJsonFormat.write(r));
                out.println("Result written to " + json);
            }
            if (hlog != null) out.println("Interval log written to " + hlog);
            out.flush();
            return r.stopReason() == StopReason.BREAKTRACE ? ExitCodes.THRESHOLD : ExitCodes.OK;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has been released above
            }
        }
    }

    private static java.util.Map<String, String> merged(SystemFacts facts, MeasurementResult r) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(facts.asMap());
        m.putAll(r.system());
        return m;
    }

    ProbeSpec buildSpec(SystemFacts facts) {
        SchedPolicy pol;
        try {
            pol = SchedPolicy.valueOf(policy.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw usage("--policy: expected fifo, rr or other, got \"" + policy + "\"");
        }
        if (pol.realtime() && (priority < 1 || priority > 99)) {
            throw usage("-p/--priority: expected 1..99, got " + priority);
        }
        if (intervalNs <= 0) throw usage("-i/--interval: must be greater than 0");
        if (threads < 0) throw usage("-t/--threads: must be at least 1, got " + threads);
        if (loops < 0) throw usage("-l/--loops: must be >= 0, got " + loops);
        if (spikes < 0) throw usage("--spikes: must be >= 0, got " + spikes);
        if (histogramNs != null && (histogramNs < 1000 || histogramNs > 100_000_000L)) {
            throw usage("-h/--histogram: expected 1us..100s, got " + Durations.format(histogramNs));
        }
        List<Integer> online = facts.onlineCpus().isEmpty()
                ? List.of(0) : facts.onlineCpus();
        int n = threads == 0 ? online.size() : threads;
        List<Integer> cpus = new ArrayList<>();
        if (affinity != null) {
            if (affinity.equals("all")) {
                for (int t = 0; t < n; t++) cpus.add(online.get(t % online.size()));
            } else {
                try {
                    cpus.addAll(CpuList.parse(affinity));
                } catch (IllegalArgumentException e) {
                    throw usage("-a/--affinity: " + e.getMessage());
                }
                for (int c : cpus) {
                    if (!online.contains(c)) {
                        throw usage("-a/--affinity: CPU " + c + " does not exist or is offline (online: "
                                + CpuList.format(online) + ")");
                    }
                }
                if (cpus.isEmpty()) throw usage("-a/--affinity: empty CPU list");
            }
        }
        long histMax = histogramNs != null ? histogramNs : 10_000_000L;
        return new ProbeSpec(pol, pol.realtime() ? priority : 0, intervalNs, distanceNs, n, cpus, durationNs, loops,
                mlockall, breaktraceNs, allowNonRt, spikes, engine == Engine.builtin ? warmupNs : 0, histMax);
    }

    private static VmlatException usage(String message) {
        return new VmlatException(ExitCodes.USAGE, message);
    }

    private String header(ProbeSpec s, SystemFacts f) {
        String what = engine == Engine.builtin
                ? "builtin probe (Java, clock_nanosleep TIMER_ABSTIME on CLOCK_MONOTONIC, ns resolution)"
                : "cyclictest (" + cyclictestPath + ", CLOCK_MONOTONIC, us resolution)";
        String pol = s.policy().realtime() ? "SCHED_" + s.policy().name() + " priority " + s.priority() : "SCHED_OTHER (not real-time)";
        String cpus = s.cpus().isEmpty() ? "not pinned" : "CPUs " + CpuList.format(s.cpus());
        String dur = s.durationNs() == 0 ? (s.loops() > 0 ? s.loops() + " loops" : "until Ctrl-C") : Durations.format(s.durationNs());
        return String.format(Locale.ROOT, "# vmlat measure: %s%n# %s, interval %s%s, %d thread(s) %s, mlockall %s, duration %s%s%n"
                        + "# system: Linux %s, %s, clocksource %s, virtualization: %s, online CPUs %s, isolated %s",
                what, pol, Durations.format(s.intervalNs()),
                s.distanceNs() > 0 ? " (+" + Durations.format(s.distanceNs()) + " per thread)" : "",
                s.threads(), cpus, s.mlockall() ? "on" : "off", dur,
                s.breaktraceNs() > 0 ? ", break trace at " + Durations.format(s.breaktraceNs()) : "",
                f.kernelRelease(), f.preemption(), f.clocksource(), f.virtualization(),
                CpuList.format(f.onlineCpus()), f.isolatedCpus().isEmpty() ? "none" : CpuList.format(f.isolatedCpus()));
    }

    /** Live status in cyclictest's T: layout, redrawn in place at most once a second. */
    private static final class Listener implements ProbeListener {
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean live;
        private final HlogSink sink;
        private int drawn;

        Listener(PrintWriter out, PrintWriter err, boolean live, HlogSink sink) {
            this.out = out;
            this.err = err;
            this.live = live;
            this.sink = sink;
        }

        @Override
        public void started(long startEpochMs) {
            if (sink != null) sink.start(startEpochMs);
        }

        @Override
        public void status(List<ThreadStatus> threads) {
            if (!live) return;
            StringBuilder sb = new StringBuilder();
            if (drawn > 0) sb.append("\u001B[").append(drawn).append('A');
            for (ThreadStatus t : threads) {
                sb.append(String.format(Locale.ROOT, "T:%2d (%6d) P:%2d I:%s C:%9d Min:%8s Act:%8s Avg:%8s Max:%9s%s\u001B[K%n",
                        t.thread(), t.tid(), t.priority(), Durations.format(t.intervalNs()), t.count(),
                        Micros.of(t.minNs()), Micros.of(t.lastNs()), Micros.of(t.meanNs()), Micros.of(t.maxNs()),
                        t.overruns() > 0 ? " Overruns:" + t.overruns() : ""));
            }
            drawn = threads.size();
            out.print(sb);
            out.flush();
        }

        void clearLive() {
            if (live && drawn > 0) out.println();
        }

        @Override
        public void interval(int thread, long startEpochMs, long endEpochMs, Histogram samples) {
            if (sink != null) sink.write(thread, startEpochMs, endEpochMs, samples);
        }

        @Override
        public void warning(String message) {
            err.println("vmlat: warning: " + message);
            err.flush();
        }
    }

    /** HdrHistogram interval log, readable by HistogramLogProcessor and HistogramLogReader. */
    private static final class HlogSink implements AutoCloseable {
        private final PrintStream stream;
        private final HistogramLogWriter writer;
        private long baseMs;

        HlogSink(Path file) throws IOException {
            stream = new PrintStream(Files.newOutputStream(file), false, java.nio.charset.StandardCharsets.US_ASCII);
            writer = new HistogramLogWriter(stream);
            writer.outputComment("vmlat measure: wake-up latency in ns, one interval per thread per second, tag T<thread>");
            writer.outputLogFormatVersion();
        }

        void start(long epochMs) {
            baseMs = epochMs;
            writer.setBaseTime(epochMs);
            writer.outputStartTime(epochMs);
            writer.outputBaseTime(epochMs);
            writer.outputLegend();
        }

        void write(int thread, long fromMs, long toMs, Histogram h) {
            if (baseMs == 0) start(fromMs);
            h.setStartTimeStamp(fromMs);
            h.setEndTimeStamp(toMs);
            h.setTag("T" + thread);
            writer.outputIntervalHistogram(h);
        }

        @Override
        public void close() {
            stream.flush();
            stream.close();
        }
    }
}
