package org.vmlat.probe.cyclictest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.latency.Breaktrace;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.cyclictest.CyclictestJsonReader;
import org.vmlat.latency.cyclictest.CyclictestTextReader;
import org.vmlat.os.ChildProcess;
import org.vmlat.os.ChildProcesses;
import org.vmlat.os.CpuList;
import org.vmlat.os.PrivateFolder;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.ThreadStatus;

/**
 * Runs the installed cyclictest and turns its output into vmlat's result model. The live
 * {@code T:} lines feed the status; at the end the {@code -h} histogram block gives the
 * distribution and the {@code --json} file gives cyclictest's version and system information.
 * cyclictest measures in whole microseconds here: its {@code -N} cannot be combined with
 * {@code -h} (rt-tests then counts every sample as a histogram overflow).
 */
public final class CyclictestProbe implements Probe {
    public static final String ENGINE = "cyclictest";
    private static final Pattern T_LINE = CyclictestTextReader.T_LINE;
    private static final Pattern ESCAPES = CyclictestTextReader.ESCAPES;

    private final String executable;

    public CyclictestProbe(String executable) {
        this.executable = executable;
    }

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public String commandLine(ProbeSpec spec) {
        return String.join(" ", command(spec, Path.of("RESULT.json")));
    }

    /** The exact command line vmlat runs for a spec; also recorded in the result. */
    public List<String> command(ProbeSpec spec, Path json) {
        if (spec.intervalNs() % 1000 != 0 || spec.distanceNs() % 1000 != 0) {
            throw new IllegalArgumentException("cyclictest takes -i and -d in whole microseconds, got "
                    + spec.intervalNs() + " ns / " + spec.distanceNs() + " ns");
        }
        if (spec.durationNs() % 1_000_000_000L != 0) {
            throw new IllegalArgumentException("cyclictest takes -D in whole seconds, got " + spec.durationNs() + " ns");
        }
        if (spec.breaktraceNs() % 1000 != 0) {
            throw new IllegalArgumentException("cyclictest takes -b in whole microseconds, got " + spec.breaktraceNs() + " ns");
        }
        List<String> c = new ArrayList<>();
        c.add(executable);
        if (spec.mlockall()) c.add("-m");
        c.add("--policy=" + spec.policy().cliName());
        if (spec.policy().realtime()) c.add("-p" + spec.priority());
        c.add("-i" + spec.intervalNs() / 1000);
        c.add("-t" + spec.threads());
        if (!spec.cpus().isEmpty()) c.add("-a" + CpuList.format(spec.cpus()));
        if (spec.durationNs() > 0) c.add("-D" + spec.durationNs() / 1_000_000_000L);
        if (spec.loops() > 0) c.add("-l" + spec.loops());
        if (spec.breaktraceNs() > 0) c.add("-b" + spec.breaktraceNs() / 1000);
        c.add("-h" + Math.max(1, spec.histogramMaxNs() / 1000));
        c.add("--json=" + json);
        return c;
    }

    @Override
    public MeasurementResult run(ProbeSpec spec, ProbeListener listener, RunControl control) {
        if (spec.distanceNs() != 0) {
            listener.warning("cyclictest forces the distance to 0 when it keeps a histogram (-h); -d is ignored");
        }
        Path json;
        try {
            json = PrivateFolder.createTempFile("cyclictest-", ".json");
        } catch (IOException e) {
            throw new ProbeException("cannot create a temporary file: " + e.getMessage(), e);
        }
        List<String> cmd = command(spec, json);
        ChildProcess child;
        long startEpochMs = System.currentTimeMillis();
        try {
            // under a supervisor: cyclictest dies with vmlat even when vmlat is SIGKILLed
            child = ChildProcesses.start(new ProcessBuilder(cmd).redirectErrorStream(true));
        } catch (IOException e) {
            deleteQuietly(json);
            throw new ProbeException("cannot run " + executable + ": " + e.getMessage()
                    + " (install rt-tests: apt-get install rt-tests)", e);
        }
        Process p = child.process();
        Thread killer = new Thread(() -> {
            while (p.isAlive()) {
                if (control.stopRequested()) {
                    child.terminate(); // SIGTERM: cyclictest stops and prints what it measured
                    return;
                }
                try {
                    p.waitFor(50, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vmlat-cyclictest-stop");
        killer.setDaemon(true);
        killer.start();
        listener.started(startEpochMs);

        Map<Integer, String> lastT = new TreeMap<>();
        StringBuilder rest = new StringBuilder();
        List<String> messages = new ArrayList<>();
        long lastStatus = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String raw;
            while ((raw = out.readLine()) != null) {
                String line = ESCAPES.matcher(raw).replaceAll("").strip();
                Matcher m = T_LINE.matcher(line);
                if (m.matches()) {
                    lastT.put(Integer.parseInt(m.group(1)), line);
                    long now = System.nanoTime();
                    if (now - lastStatus >= 1_000_000_000L && lastT.size() == spec.threads()) {
                        lastStatus = now;
                        listener.status(statuses(lastT.values()));
                    }
                } else if (line.startsWith("#") || line.matches("\\d{6,}\\s.*")) {
                    rest.append(line).append('\n');
                } else if (!line.isEmpty() && !line.startsWith("policy:")) {
                    messages.add(line);
                }
            }
            p.waitFor();
        } catch (IOException e) {
            child.kill();
            deleteQuietly(json);
            throw new ProbeException("reading cyclictest's output: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.stop(2000);
        }
        long endEpochMs = System.currentTimeMillis();
        int rc = p.exitValue();
        String jsonText = "";
        try {
            jsonText = Files.exists(json) ? Files.readString(json) : "";
            Files.deleteIfExists(json);
        } catch (IOException e) {
            messages.add("could not read cyclictest's JSON: " + e.getMessage());
        }
        String msgs = String.join("; ", messages);
        if (rc != 0 && !control.stopRequested()) {
            if (msgs.contains("Unable to change scheduling policy") || msgs.contains("mlockall")
                    || msgs.contains("Operation not permitted")) {
                String what = msgs.contains("mlockall") ? "mlockall" : "SCHED_" + spec.policy().name() + " priority " + spec.priority();
                throw new RtPrivilegeException(RtPrivilegeException.explain(what, "cyclictest: " + msgs));
            }
            throw new ProbeException("cyclictest exited with " + rc + (msgs.isEmpty() ? "" : ": " + msgs));
        }
        StringBuilder text = new StringBuilder();
        lastT.values().forEach(l -> text.append(l).append('\n'));
        text.append(rest);
        CyclictestTextReader.Parsed parsed = new CyclictestTextReader("cyclictest output", 1000, 0)
                .read(new BufferedReader(new StringReader(text.toString())));
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
        settings.put("clock", "CLOCK_MONOTONIC");
        Map<String, String> system = new LinkedHashMap<>();
        if (!jsonText.isBlank()) {
            CyclictestJsonReader.Parsed j = new CyclictestJsonReader("cyclictest --json").read(jsonText);
            if (j.version() != null) settings.put("cyclictest_version", j.version());
            j.sysinfo().forEach((k, v) -> system.put("cyclictest." + k, v));
        }
        List<String> warnings = new ArrayList<>();
        for (String m : messages) if (m.startsWith("WARN") && !m.contains("distance is ignored")) warnings.add("cyclictest: " + m);
        if (!spec.policy().realtime()) warnings.add("NON-RT: policy other requested: the threads ran at normal priority");
        List<ThreadResult> threads = new ArrayList<>();
        for (ThreadResult t : parsed.threads()) {
            int cpu = t.cpu() >= 0 ? t.cpu() : spec.cpu(t.thread());
            long interval = t.intervalNs() > 0 ? t.intervalNs() : spec.intervalNs(t.thread());
            threads.add(new ThreadResult(t.thread(), cpu, interval, t.resolutionNs(), t.count(), t.minNs(), t.maxNs(),
                    t.sumNs(), t.overruns(), t.histogramOverflows(), t.histogram(), t.spikes()));
        }
        Optional<Breaktrace> bt = Optional.empty();
        StopReason reason = control.stopRequested() ? control.stopReason() : StopReason.COMPLETED;
        if (parsed.breakValue() >= 0) {
            bt = Optional.of(new Breaktrace(spec.breaktraceNs(), parsed.breakThread(), -1, parsed.breakValue() * 1000, -1));
            reason = StopReason.BREAKTRACE;
        }
        return new MeasurementResult(ENGINE, settings, system, spec.policy().realtime(), threads, startEpochMs,
                endEpochMs, -1, reason, bt, warnings);
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // it goes with vmlat's private folder
        }
    }

    private static List<ThreadStatus> statuses(Iterable<String> lines) {
        List<ThreadStatus> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = T_LINE.matcher(l);
            if (!m.matches()) continue;
            out.add(new ThreadStatus(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), -1,
                    Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)) * 1000, Long.parseLong(m.group(5)),
                    Long.parseLong(m.group(6)) * 1000, Long.parseLong(m.group(7)) * 1000,
                    Long.parseLong(m.group(8)) * 1000.0, Long.parseLong(m.group(9)) * 1000, 0));
        }
        return out;
    }
}
