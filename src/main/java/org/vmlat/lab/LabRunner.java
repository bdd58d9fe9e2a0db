package org.vmlat.lab;

import org.vmlat.probe.builtin.BuiltinProbe;
import org.vmlat.os.VmlatDirs;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.trace.HostThreadTrace;
import org.vmlat.explain.trace.SpikeExplainer;
import org.vmlat.explain.trace.TraceRecorder;
import org.vmlat.explain.trace.TracingUnavailableException;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.os.CpuClaims;
import org.vmlat.os.CpuList;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.ThreadStatus;
import org.vmlat.store.IntervalMax;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunStatus;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.Spill;
import org.vmlat.store.StoreException;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetUnavailableException;

/**
 * Runs the scenarios of a plan one after another and commits each to the store as it finishes;
 * while a scenario runs, a snapshot of what it measured is committed every
 * {@link #SNAPSHOT_PERIOD_MS}, so a vmlat killed outright loses at most that much. A scenario that
 * fails (probe error, load died, timeout) is recorded as failed with its reason and the run goes
 * on; a refusal of real-time privileges stops the run, since every scenario would fail alike.
 * Resuming measures a scenario again as a new attempt: what earlier attempts measured stays.
 */
public final class LabRunner {
    /** Snapshot period; the system property vmlat.snapshotMs shortens it for tests. */
    public static final long SNAPSHOT_PERIOD_MS = Long.getLong("vmlat.snapshotMs", 10_000);

    /** Creates the probe for an engine name ("builtin", "cyclictest"). */
    public interface Probes {
        Probe forEngine(String engine);
    }

    /** How a run ended. */
    public record Outcome(long runId, int ran, int done, int failed, boolean interrupted) {}

    private final ResultStore store;
    private final TargetContext targets;
    private final Probes probes;
    private final LabProgress progress;
    private final CpuClaims cpuClaims;
    private final List<Integer> allCpus;
    private final AtomicBoolean stopRun = new AtomicBoolean();
    private volatile RunControl current;

    /** @param targets what the target kinds create this run's targets with; its resources are closed after each run */
    public LabRunner(ResultStore store, TargetContext targets, Probes probes, LabProgress progress) {
        this(store, targets, probes, progress, null, List.of());
    }

    /**
     * @param targets   what the target kinds create this run's targets with; its resources are closed after each run
     * @param cpuClaims claims on the CPUs a scenario measures on (the plan's affinity, else
     *                  {@code allCpus}), held for the scenario: a scenario waits while another vmlat
     *                  measures on one of them, and the wait is recorded in its warnings; null: no claims
     */
    public LabRunner(ResultStore store, TargetContext targets, Probes probes, LabProgress progress, CpuClaims cpuClaims, List<Integer> allCpus) {
        this.store = store;
        this.targets = targets;
        this.probes = probes;
        this.progress = progress;
        this.cpuClaims = cpuClaims;
        this.allCpus = List.copyOf(allCpus);
    }

    /** Stops the run: the current scenario ends now and is kept as partial; no other starts. */
    public void interrupt() {
        stopRun.set(true);
        RunControl c = current;
        if (c != null) c.requestStop(StopReason.INTERRUPTED);
    }

    /**
     * Runs the scenarios of {@code runId} that are not finished yet (all of a new run). Every
     * target is created and checked first; a target that cannot be used marks the run failed and
     * throws {@link TargetUnavailableException}. The targets are closed at the end, whatever
     * happened.
     *
     * @param retryFailed also run scenarios recorded as failed
     */
    public Outcome run(Plan plan, long runId, boolean retryFailed) {
        List<Scenario> all = Matrix.expand(plan);
        try (RunTargets runTargets = new RunTargets(targets)) {
            try {
                runTargets.checkAll(new LinkedHashSet<>(all.stream().map(Scenario::target).toList()));
            } catch (RuntimeException e) {
                store.setRunStatus(runId, RunStatus.FAILED, true);
                throw e;
            }
            try {
                return run(plan, runId, retryFailed, all, runTargets);
            } catch (RtPrivilegeException e) {
                // a lab run measures at real-time priority only (a non-RT result compares with nothing in the run):
                // the run ends failed, not running, and the advice is what a lab run can do
                store.setRunStatus(runId, RunStatus.FAILED, true);
                throw new RtPrivilegeException(e.getMessage().replace(RtPrivilegeException.ALLOW_NONRT_ADVICE, "")
                        + " Run " + runId + " is marked failed"
                        + " (a lab run measures at real-time priority only; vmlat measure --allow-nonrt measures without it).");
            }
        }
    }

    private Outcome run(Plan plan, long runId, boolean retryFailed, List<Scenario> all, RunTargets runTargets) {
        List<Map<String, String>> dims = new ArrayList<>();
        for (Scenario s : all) dims.add(s.dims());
        store.addScenarios(runId, dims);
        Map<Integer, ScenarioStatus> status = new LinkedHashMap<>();
        for (ScenarioRecord r : store.scenarios(runId)) status.put(r.index(), r.status());
        List<Scenario> todo = new ArrayList<>();
        for (Scenario s : all) {
            if (status.getOrDefault(s.index(), ScenarioStatus.PENDING).needsMeasuring(retryFailed)) todo.add(s);
        }
        progress.runStarted(runId, all.size(), todo.size());
        store.setRunStatus(runId, RunStatus.RUNNING, false);
        long runStart = System.currentTimeMillis();
        long perScenarioMs = (plan.durationNs() + plan.warmupNs()) / 1_000_000 + Target.LOAD_SETTLE_MS + 3000;
        int done = 0, failed = 0, ran = 0;
        boolean interrupted = false;
        for (int i = 0; i < todo.size(); i++) {
            if (stopRun.get()) {
                interrupted = true;
                break;
            }
            Scenario s = todo.get(i);
            long elapsed = System.currentTimeMillis() - runStart;
            long avg = i == 0 ? perScenarioMs : elapsed / i;
            progress.scenarioStarted(s, i + 1, todo.size(), elapsed, avg * (todo.size() - i));
            ran++;
            ScenarioStatus result = runScenario(plan, runId, runTargets.forSpec(s.target()), s, i + 1, todo.size(), runStart, avg);
            switch (result) {
                case DONE -> done++;
                case PARTIAL -> interrupted = true;
                default -> failed++;
            }
            if (result == ScenarioStatus.PARTIAL) break;
        }
        store.setRunStatus(runId, interrupted ? RunStatus.INTERRUPTED : (failed > 0 ? RunStatus.DONE_WITH_FAILURES : RunStatus.DONE), true);
        return new Outcome(runId, ran, done, failed, interrupted);
    }

    /**
     * Measures one scenario of a run that a lab worker claimed, with the target it measures on,
     * and commits it as {@link #run} commits each scenario; the run's own status is left alone.
     */
    public ScenarioStatus runOne(Plan plan, long runId, Target target, Scenario s) {
        long start = System.currentTimeMillis();
        long estimateMs = (plan.durationNs() + plan.warmupNs()) / 1_000_000;
        progress.scenarioStarted(s, 1, 1, 0, estimateMs);
        return runScenario(plan, runId, target, s, 1, 1, start, estimateMs);
    }

    /** Runs one scenario while holding its CPUs; PARTIAL if stopped while waiting for them (it stays pending). */
    private ScenarioStatus runScenario(Plan plan, long runId, Target target, Scenario s, int position, int toRun, long runStart, long avgMs) {
        if (cpuClaims == null) return measureScenario(plan, runId, target, s, position, toRun, runStart, avgMs, List.of());
        List<Integer> cpus = plan.affinity().isEmpty() ? allCpus : plan.affinity();
        List<String> waits = new ArrayList<>();
        long waitStart = System.currentTimeMillis();
        Optional<CpuClaims.Claim> claim;
        try {
            claim = cpuClaims.claim(cpus, "lab run " + runId + " scenario " + (s.index() + 1), stopRun::get, busy -> {
                waits.add(busy.message());
                progress.warning(busy.message() + ": waiting until it is free");
            });
        } catch (IOException e) {
            progress.warning("cannot claim CPUs " + CpuList.format(cpus) + " (" + e.getMessage() + "): other vmlat processes are not checked");
            return measureScenario(plan, runId, target, s, position, toRun, runStart, avgMs,
                    List.of("CPUS NOT CLAIMED: " + e.getMessage() + "; another vmlat may have measured on the same CPUs"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            claim = Optional.empty();
        }
        if (claim.isEmpty()) return ScenarioStatus.PARTIAL;
        try (CpuClaims.Claim held = claim.get()) {
            List<String> notes = waits.isEmpty() ? List.of() : List.of("waited " + (System.currentTimeMillis() - waitStart) / 1000
                    + " s before measuring: " + String.join("; then ", waits));
            return measureScenario(plan, runId, target, s, position, toRun, runStart, avgMs, notes);
        }
    }

    /** The kernel trace beside a builtin probe on this machine, when the plan asks for it; null otherwise. */
    private static TraceRecorder startTracing(Plan plan, Scenario s, ProbeSpec spec, Target target, List<String> notes) {
        if (!plan.explain()) return null;
        if (target.traceKernel()) return null; // it traces where its probe runs and brings the trace back
        if (s.target().kind().guest() || !s.probe().equals(BuiltinProbe.ENGINE)) {
            notes.add("explain: only the builtin probe on this machine is traced; this scenario's spikes are not explained");
            return null;
        }
        try {
            return TraceRecorder.start(TraceRecorder.Settings.forBuiltinProbe(plan.traceThresholdNs() * 4 / 5), spec.cpus());
        } catch (TracingUnavailableException e) {
            notes.add("explain: no kernel trace: " + e.getMessage());
            return null;
        }
    }

    /** This machine's scheduler events about a guest's QEMU threads, beside a guest that traces itself; null when tracing is not possible. */
    private static HostThreadTrace startHostTrace(List<String> notes) {
        try {
            return HostThreadTrace.start();
        } catch (TracingUnavailableException e) {
            notes.add("explain: the host side is not traced: " + e.getMessage());
            return null;
        }
    }

    private static HostThreadTrace.Recording stopHostTrace(HostThreadTrace t, List<String> notes) {
        if (t == null) return null;
        try {
            return t.stop();
        } catch (IOException e) {
            notes.add("explain: the host side's trace could not be read: " + e.getMessage());
            return null;
        }
    }

    /** Where a scenario's explained spikes keep their traces. */
    private static Path explainDir(long runId, Scenario s) {
        return VmlatDirs.state("explain").resolve("run-" + runId).resolve("scenario-" + (s.index() + 1));
    }

    /** Explains the scenario's spikes and keeps them with its settings (and their traces in the state folder). */
    private static void explain(TraceRecorder recorder, MeasurementResult r, Plan plan, long runId, Scenario s, Map<String, String> settings,
                                List<String> notes) {
        try {
            TraceRecorder.Recording rec = recorder.stop();
            SpikeExplainer.Outcome o = SpikeExplainer.explain(rec, r, plan.traceThresholdNs(), explainDir(runId, s));
            settings.put(SettingsKeys.TRACE_THRESHOLD_NS, Long.toString(plan.traceThresholdNs()));
            settings.put(SettingsKeys.EXPLAIN, ExplanationJson.write(o.explained()));
            for (String p : o.problems()) notes.add("explain: " + p);
        } catch (IOException e) {
            notes.add("explain: the trace could not be read or kept: " + e.getMessage());
        }
    }

    /** What the probe of a scenario is asked to do (also what {@code lab run --dry-run} shows). */
    public static ProbeSpec probeSpec(Plan plan, Scenario s) {
        Plan.ProbeKeys k = plan.probeKeys();
        boolean builtin = s.probe().equals(BuiltinProbe.ENGINE);
        ProbeSpec.Setup setup = builtin || k.cyclictestArgs().isEmpty() ? ProbeSpec.Setup.DEFAULT
                : new ProbeSpec.Setup(false, -1, ProbeSpec.Clock.MONOTONIC, 0, -2, List.of(), false, false, k.cyclictestArgs());
        return new ProbeSpec(plan.policy(), s.priority(), s.intervalNs(), k.distanceNs(), plan.threads(), plan.affinity(),
                plan.durationNs(), 0, true, k.breaktraceNs(), false, ProbeSpec.DEFAULT_SPIKES, builtin ? plan.warmupNs() : 0,
                plan.histogramMaxNs(), setup);
    }

    private ScenarioStatus measureScenario(Plan plan, long runId, Target target, Scenario s, int position, int toRun, long runStart, long avgMs,
                                           List<String> notes) {
        long id = store.scenarioId(runId, s.index());
        ProbeSpec spec = probeSpec(plan, s);
        Probe probe = probes.forEngine(s.probe());
        String probeCmd = target.probeCommand(probe, spec);
        String loadCmd = String.join(" ", target.loadCommand(s.load()));
        int attempt = store.startScenario(id, plan.durationNs(), probeCmd, loadCmd);
        RunControl control = new RunControl();
        current = control;
        if (stopRun.get()) control.requestStop(StopReason.INTERRUPTED);
        Snapshots snaps = new Snapshots(id, s, position, toRun, plan, runStart, avgMs);
        long deadline = System.currentTimeMillis() + (plan.durationNs() + plan.warmupNs() + plan.timeoutNs()) / 1_000_000
                + Target.LOAD_SETTLE_MS;
        AtomicBoolean timedOut = new AtomicBoolean();
        Thread watchdog = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (System.currentTimeMillis() > deadline) {
                    timedOut.set(true);
                    control.requestStop(StopReason.FAILED);
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "vmlat-scenario-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            target.prepare();
            List<String> explainNotes = new ArrayList<>();
            TraceRecorder recorder = startTracing(plan, s, spec, target, explainNotes);
            boolean guestTraced = plan.explain() && recorder == null && target.traceKernel();
            if (guestTraced) target.hostSideUntraced().ifPresent(why -> explainNotes.add("explain: no host side: " + why));
            HostThreadTrace hostTrace = guestTraced && target.hostedHere() ? startHostTrace(explainNotes) : null;
            Target.Measured m;
            try {
                m = target.measure(probe, spec, s.load(), snaps, control);
            } catch (RuntimeException e) {
                if (recorder != null) recorder.close();
                if (hostTrace != null) hostTrace.close();
                throw e;
            }
            HostThreadTrace.Recording hostEvents = stopHostTrace(hostTrace, explainNotes);
            MeasurementResult r = m.result();
            ScenarioStatus st;
            String reason = null;
            if (timedOut.get()) {
                st = ScenarioStatus.FAILED;
                reason = "timed out after " + (plan.timeoutNs() / 1_000_000_000L) + " s beyond its duration";
            } else if (m.failure() != null) {
                st = ScenarioStatus.FAILED;
                reason = m.failure();
            } else if (r.stopReason() == StopReason.INTERRUPTED) {
                st = ScenarioStatus.PARTIAL;
                reason = "interrupted";
            } else {
                st = ScenarioStatus.DONE;
            }
            Map<String, String> settings = new LinkedHashMap<>(r.settings());
            settings.put(SettingsKeys.LOAD_COMMAND, loadCmd);
            if (!s.load().cpus().isEmpty()) settings.put(SettingsKeys.LOAD_CPUS, CpuList.format(s.load().cpus()));
            settings.putAll(m.facts()); // what the target reports about where it measured, whatever the keys
            if (recorder != null) explain(recorder, r, plan, runId, s, settings, explainNotes);
            if (plan.explain() && m.kernelTrace().isPresent()) {
                TracedTargetExplanations.keep(m.kernelTrace().get(), hostEvents, spec, plan.traceThresholdNs(), explainDir(runId, s), settings, explainNotes);
            } else if (plan.explain() && recorder == null && target.traceKernel()) {
                explainNotes.add("explain: the guest brought back no kernel trace (its console says why: VMLAT-NOTRACE)");
            }
            List<String> warnings = new ArrayList<>(notes);
            warnings.addAll(explainNotes);
            warnings.addAll(r.warnings());
            // results and end in one transaction: a kill between the two cannot leave final results marked running
            try {
                snaps.flushIntervals();
                store.finishScenario(id, st, reason, settings, warnings, r.realtime(), r.threads());
            } catch (StoreException e) {
                if (!e.diskFull()) throw e;
                throw spill(e, new Spill(store.location(), runId, s.index(), attempt, st, reason, settings, warnings, r.realtime(), r.threads(),
                        snaps.unsavedIntervals()));
            }
            progress.scenarioFinished(s, position, toRun, st, reason, r.maxNs());
            return st;
        } catch (StoreException e) {
            // the store cannot take the results (disk full, ...): stop here; the run stays running and resumable
            stopRun.set(true);
            throw e;
        } catch (RtPrivilegeException e) {
            store.finishScenario(id, ScenarioStatus.FAILED, e.getMessage(), Map.of(), List.of(), false);
            stopRun.set(true);
            throw e;
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            if (timedOut.get()) reason = "timed out: " + reason;
            snaps.flush();
            if (stopRun.get() && !timedOut.get()) {
                // stopped by Ctrl-C or SIGTERM, not by its own fault: --resume runs it again
                store.finishScenario(id, ScenarioStatus.PARTIAL, "interrupted: " + reason, Map.of(), List.of(), false);
                progress.scenarioFinished(s, position, toRun, ScenarioStatus.PARTIAL, "interrupted", -1);
                return ScenarioStatus.PARTIAL;
            }
            store.finishScenario(id, ScenarioStatus.FAILED, reason, Map.of(), List.of(), false);
            progress.scenarioFinished(s, position, toRun, ScenarioStatus.FAILED, reason, -1);
            return ScenarioStatus.FAILED;
        } finally {
            watchdog.interrupt();
            current = null;
        }
    }

    /**
     * Keeps a scenario's end that a full disk kept out of the store in a file, and says where:
     * the run stops (the store takes nothing more) and stays resumable; resuming imports the file.
     */
    private StoreException spill(StoreException full, Spill spill) {
        String what = "the result of scenario " + (spill.scenarioIndex() + 1) + " (" + spill.samples() + " samples)";
        try {
            Path file = SpilledResults.keep(store, spill);
            return new StoreException(full.getMessage() + "; " + what + " is kept in " + file + ": free some space, then vmlat lab run --resume "
                    + spill.runId() + " --store " + store.location() + " stores it and finishes the run", full, true);
        } catch (IOException e) {
            return new StoreException(full.getMessage() + "; " + what + " could not be kept elsewhere either (" + e.getMessage()
                    + ") and is lost; free some space, then vmlat lab run --resume " + spill.runId() + " --store " + store.location()
                    + " measures it again", full, true);
        }
    }

    /** Accumulates interval histograms and live counters; commits a snapshot every 10 s. */
    private final class Snapshots implements ProbeListener {
        private final long scenarioId;
        private final Scenario scenario;
        private final int position, toRun;
        private final Plan plan;
        private final long runStart, avgMs;
        private final Map<Integer, Histogram> histograms = new LinkedHashMap<>();
        /** Interval maxima not yet stored: written with each snapshot and when the scenario ends. */
        private final List<IntervalMax> intervals = new ArrayList<>();
        private volatile List<ThreadStatus> last = List.of();
        private final AtomicLong worst = new AtomicLong(-1);
        private long started = System.currentTimeMillis();
        private long lastSnapshot = System.currentTimeMillis();
        private boolean snapshotFailed;

        Snapshots(long scenarioId, Scenario scenario, int position, int toRun, Plan plan, long runStart, long avgMs) {
            this.scenarioId = scenarioId;
            this.scenario = scenario;
            this.position = position;
            this.toRun = toRun;
            this.plan = plan;
            this.runStart = runStart;
            this.avgMs = avgMs;
        }

        @Override
        public void started(long startEpochMs) {
            started = System.currentTimeMillis();
        }

        @Override
        public void interval(int thread, long startEpochMs, long endEpochMs, Histogram samples) {
            histograms.computeIfAbsent(thread, t -> LatencyHistograms.create()).add(samples);
            long n = samples.getTotalCount();
            int cpu = last.stream().filter(t -> t.thread() == thread).mapToInt(ThreadStatus::cpu).findFirst().orElse(-1);
            synchronized (intervals) {
                intervals.add(new IntervalMax(thread, cpu, startEpochMs, Math.max(startEpochMs, endEpochMs), n, n == 0 ? -1 : samples.getMaxValue()));
            }
        }

        @Override
        public void status(List<ThreadStatus> threads) {
            last = threads;
            for (ThreadStatus t : threads) worst.accumulateAndGet(t.maxNs(), Math::max);
            long now = System.currentTimeMillis();
            long elapsed = now - started;
            long remaining = Math.max(0, plan.durationNs() / 1_000_000 - elapsed);
            long runRemaining = remaining + avgMs * (toRun - position);
            progress.scenarioStatus(scenario, position, toRun, elapsed, remaining, runRemaining, worst.get());
            if (now - lastSnapshot >= SNAPSHOT_PERIOD_MS) {
                flush();
                lastSnapshot = now;
            }
        }

        /** Stores the finished intervals; on failure they stay here for the next try (or a spill). */
        void flushIntervals() {
            List<IntervalMax> done;
            synchronized (intervals) {
                done = List.copyOf(intervals);
            }
            store.saveIntervals(scenarioId, done);
            synchronized (intervals) {
                intervals.subList(0, done.size()).clear();
            }
        }

        List<IntervalMax> unsavedIntervals() {
            synchronized (intervals) {
                return List.copyOf(intervals);
            }
        }

        void flush() {
            try {
                flushIntervals();
            } catch (StoreException e) {
                if (!snapshotFailed) progress.warning("snapshot not stored, the measurement goes on: " + e.getMessage());
                snapshotFailed = true;
                return;
            }
            List<ThreadStatus> st = last;
            if (st.isEmpty()) return;
            List<ThreadResult> snap = new ArrayList<>();
            for (ThreadStatus t : st) {
                Histogram h = histograms.getOrDefault(t.thread(), LatencyHistograms.create());
                long sum = Math.round(t.meanNs() * t.count());
                snap.add(new ThreadResult(t.thread(), t.cpu(), t.intervalNs(), h.getTotalCount() > 0 ? 1 : 1000, t.count(),
                        t.minNs(), Math.max(t.minNs(), t.maxNs()), sum, t.overruns(), Math.max(0, t.count() - h.getTotalCount()), h.copy(), List.of()));
            }
            try {
                store.saveThreads(scenarioId, snap, false);
            } catch (StoreException e) {
                // the result stays in memory for the final commit; say it once per scenario
                if (!snapshotFailed) progress.warning("snapshot not stored, the measurement goes on: " + e.getMessage());
                snapshotFailed = true;
            }
        }

        @Override
        public void warning(String message) {
            progress.warning(message);
        }
    }
}
