package org.vmlat.probe.cyclictest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.vmlat.latency.Breaktrace;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.os.CpuList;
import org.vmlat.os.command.CommandException;
import org.vmlat.os.command.CommandRunner;
import org.vmlat.os.command.RunningCommand;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.RunControl;

/**
 * Runs cyclictest through a {@link CommandRunner} (this machine, or any machine a runner reaches)
 * and turns everything it produces into vmlat's result model: the live {@code T:} lines feed the
 * status, the {@code -h} histogram block gives the distribution, the {@code --json} file (fetched
 * through the runner) gives cyclictest's version and system information, and its messages give
 * warnings or the reason it failed. cyclictest measures in whole microseconds here: its {@code -N}
 * cannot be combined with {@code -h} (rt-tests then counts every sample as a histogram overflow).
 */
public final class CyclictestDriver {
    public static final String ENGINE = "cyclictest";
    /** How often the coordinating thread looks at the stop request while no output comes. */
    private static final long POLL_MS = 50;
    /** Status at most once a second, as {@link ProbeListener} promises. */
    private static final long STATUS_EVERY_NS = 1_000_000_000L;
    /** How long cyclictest may take to report after SIGTERM before it is killed. */
    private static final long STOP_GRACE_NS = 10_000_000_000L;

    private final CommandRunner runner;
    private final String executable;

    /** @param executable cyclictest's path or name on the runner's machine */
    public CyclictestDriver(CommandRunner runner, String executable) {
        this.runner = runner;
        this.executable = executable;
    }

    /** The exact command line run for a spec; also recorded in the result. */
    public List<String> command(ProbeSpec spec, String jsonPath) {
        return CyclictestCommandLine.command(executable, spec, jsonPath);
    }

    /**
     * Measures until the spec's duration or loops are done, the break-trace threshold is crossed,
     * or {@code control} asks to stop (cyclictest gets SIGTERM and still reports what it measured).
     *
     * @throws RtPrivilegeException when cyclictest was refused real-time scheduling or mlockall
     * @throws ProbeException       when cyclictest cannot run or fails otherwise
     */
    public MeasurementResult run(ProbeSpec spec, ProbeListener listener, RunControl control) {
        if (spec.distanceNs() != 0) {
            listener.warning("cyclictest forces the distance to 0 when it keeps a histogram (-h); -d is ignored");
        }
        String json;
        try {
            json = runner.createTempFile("vmlat-cyclictest-", ".json");
        } catch (CommandException e) {
            throw new ProbeException(e.getMessage(), e);
        }
        try {
            List<String> cmd = command(spec, json);
            CyclictestLiveOutput live = new CyclictestLiveOutput();
            long startEpochMs = System.currentTimeMillis();
            int rc = watch(cmd, spec, live, listener, control, startEpochMs);
            long endEpochMs = System.currentTimeMillis();
            List<String> messages = new ArrayList<>(live.messages());
            String jsonText = "";
            try {
                jsonText = new String(runner.readFile(json), StandardCharsets.UTF_8);
            } catch (CommandException e) {
                messages.add("could not read cyclictest's JSON: " + e.getMessage());
            }
            if (rc != 0 && !control.stopRequested()) throw failure(rc, messages, spec);
            CyclictestOutput out = CyclictestOutput.read("cyclictest output", live.text(), jsonText);
            return result(spec, cmd, out, messages, control, startEpochMs, endEpochMs);
        } finally {
            try {
                runner.deleteFile(json);
            } catch (CommandException e) {
                listener.warning(e.getMessage());
            }
        }
    }

    /**
     * Runs the command to its end, feeding the live output on this (the coordinating) thread, and
     * stops it when asked; its exit status.
     */
    private int watch(List<String> cmd, ProbeSpec spec, CyclictestLiveOutput live, ProbeListener listener, RunControl control,
                      long startEpochMs) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        RunningCommand c;
        try {
            c = runner.start(cmd, (channel, line) -> lines.add(line));
        } catch (CommandException e) {
            throw new ProbeException("cannot run " + executable + ": " + e.getMessage() + " (install rt-tests: apt-get install rt-tests)", e);
        }
        try (c) {
            listener.started(startEpochMs);
            long lastStatus = 0;
            long stoppingSince = -1;
            while (true) {
                if (control.stopRequested() && stoppingSince < 0) {
                    c.terminate(); // SIGTERM: cyclictest stops and prints what it measured
                    stoppingSince = System.nanoTime();
                } else if (stoppingSince >= 0 && System.nanoTime() - stoppingSince > STOP_GRACE_NS) {
                    c.close(); // it did not stop: what it printed so far is all there is
                }
                String line = lines.poll(POLL_MS, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (c.waitFor(0)) break;
                    continue;
                }
                if (live.accept(line) && live.threadsSeen() == spec.threads()) {
                    long now = System.nanoTime();
                    if (now - lastStatus >= STATUS_EVERY_NS) {
                        lastStatus = now;
                        listener.status(live.statuses());
                    }
                }
            }
            for (String line; (line = lines.poll()) != null; ) live.accept(line);
            return c.exitCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while cyclictest ran", e);
        }
    }

    private ProbeException failure(int rc, List<String> messages, ProbeSpec spec) {
        String msgs = String.join("; ", messages);
        if (rc == 126 || rc == 127) {
            return new ProbeException("cannot run " + executable + " on " + runner.where() + (msgs.isEmpty() ? "" : ": " + msgs)
                    + " (install rt-tests: apt-get install rt-tests)");
        }
        if (msgs.contains("Unable to change scheduling policy") || msgs.contains("mlockall") || msgs.contains("Operation not permitted")) {
            String what = msgs.contains("mlockall") ? "mlockall" : "SCHED_" + spec.policy().name() + " priority " + spec.priority();
            return new RtPrivilegeException(RtPrivilegeException.explain(what, "cyclictest: " + msgs));
        }
        return new ProbeException("cyclictest exited with " + rc + (msgs.isEmpty() ? "" : ": " + msgs));
    }

    private MeasurementResult result(ProbeSpec spec, List<String> cmd, CyclictestOutput out, List<String> messages, RunControl control,
                                     long startEpochMs, long endEpochMs) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("engine", ENGINE);
        settings.put("command", String.join(" ", cmd));
        settings.put("policy", spec.policy().cliName());
        settings.put("priority", Integer.toString(spec.priority()));
        settings.put("interval_ns", Long.toString(spec.intervalNs()));
        settings.put("threads", Integer.toString(spec.threads()));
        settings.put("affinity", CpuList.format(spec.cpus()));
        settings.put("duration_ns", Long.toString(spec.durationNs()));
        settings.put("mlockall", Boolean.toString(spec.mlockall()));
        settings.put("breaktrace_ns", Long.toString(spec.breaktraceNs()));
        settings.put("distance_ns", Long.toString(spec.distanceNs()));
        if (!spec.setup().cyclictestArgs().isEmpty()) settings.put("cyclictest_args", String.join(" ", spec.setup().cyclictestArgs()));
        settings.put("clock", "CLOCK_MONOTONIC");
        if (out.version() != null) settings.put("cyclictest_version", out.version());
        Map<String, String> system = new LinkedHashMap<>();
        out.sysinfo().forEach((k, v) -> system.put("cyclictest." + k, v));
        List<String> warnings = new ArrayList<>();
        for (String m : messages) if (m.startsWith("WARN") && !m.contains("distance is ignored")) warnings.add("cyclictest: " + m);
        if (!spec.policy().realtime()) warnings.add("NON-RT: policy other requested: the threads ran at normal priority");
        List<ThreadResult> threads = new ArrayList<>();
        for (ThreadResult t : out.threads()) {
            // cyclictest's histogram output names neither CPU nor period: the spec says them
            int cpu = t.cpu() >= 0 ? t.cpu() : spec.cpu(t.thread());
            long interval = t.intervalNs() > 0 ? t.intervalNs() : spec.intervalNs(t.thread());
            threads.add(new ThreadResult(t.thread(), cpu, interval, t.resolutionNs(), t.count(), t.minNs(), t.maxNs(),
                    t.sumNs(), t.overruns(), t.histogramOverflows(), t.histogram(), t.spikes()));
        }
        Optional<Breaktrace> bt = Optional.empty();
        StopReason reason = control.stopRequested() ? control.stopReason() : StopReason.COMPLETED;
        if (out.breakValueNs() >= 0) {
            bt = Optional.of(new Breaktrace(spec.breaktraceNs(), out.breakThread(), -1, out.breakValueNs(), -1));
            reason = StopReason.BREAKTRACE;
        }
        return new MeasurementResult(ENGINE, settings, system, spec.policy().realtime(), threads, startEpochMs,
                endEpochMs, -1, reason, bt, warnings);
    }
}
