package org.vmlat.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.InputText;
import org.vmlat.load.LeftoverReaper;
import org.vmlat.load.LoadLauncher;
import org.vmlat.os.CpuClaims;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.Executables;
import org.vmlat.os.SystemFacts;
import org.vmlat.probe.builtin.BuiltinProbe;
import org.vmlat.probe.cyclictest.CyclictestProbe;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.WorkQueue;
import org.vmlat.targets.RunResources;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.image.GuestImageBuilder;

/**
 * {@code vmlat lab run} as one service: reads a plan (or the plan of a run to resume), opens the
 * run in the store, ends loads an earlier vmlat left, runs the scenarios with their targets
 * checked first and closed last, and stops cleanly on Ctrl-C or SIGTERM (the finished scenarios
 * and the current one's snapshot are kept). It prints nothing: the progress listener hears what
 * happens, the result is data.
 */
public final class LabService {
    /**
     * What to run.
     *
     * @param planFile    a plan to run as a new run (ignored with resumeRun)
     * @param resumeRun   a run whose unfinished scenarios to run, or null
     * @param retryFailed with resumeRun: run failed scenarios again too
     * @param cyclictest  the cyclictest executable
     */
    public record Request(Path planFile, Long resumeRun, boolean retryFailed, String cyclictest, PlanOverrides overrides) {
        public Request {
            if (planFile == null && resumeRun == null) throw new IllegalArgumentException("give a PLAN file, or --resume RUN");
            if (overrides == null) overrides = PlanOverrides.NONE;
            if (resumeRun != null && overrides.any()) {
                throw new IllegalArgumentException("--duration and --repetitions change a new run; a resumed run keeps what it started with");
            }
        }

        public Request(Path planFile, Long resumeRun, boolean retryFailed, String cyclictest) {
            this(planFile, resumeRun, retryFailed, cyclictest, PlanOverrides.NONE);
        }
    }

    /** A run as it starts: new, or resumed with what it had done before. */
    public record OpenedRun(long runId, Plan plan, String planFile, int scenarios, RunRecord resumed, String store) {}

    /** A run as it ended, with every scenario as stored. */
    public record FinishedRun(LabRunner.Outcome outcome, List<ScenarioRecord> scenarios, String store) {}

    /** What the run tells the outside, besides {@link LabProgress}. */
    public interface Listener extends LabProgress {
        default void runOpened(OpenedRun run) {}

        /** Something done on the user's behalf (a leftover load ended, an image built). */
        default void info(String message) {}

        /**
         * The run was stopped (Ctrl-C, SIGTERM) with scenarios left: said while the stop still
         * waits for the run, since the process ends as soon as the run has returned.
         */
        default void interrupted(OpenedRun run, LabRunner.Outcome outcome) {}
    }

    private final List<String> builtinLoadCommand;
    private final Supplier<Map<String, String>> toolVersions;

    /**
     * @param builtinLoadCommand how to start vmlat's own Java loads ({@code vmlat _load})
     * @param toolVersions       the versions of the tools a new run records
     */
    public LabService(List<String> builtinLoadCommand, Supplier<Map<String, String>> toolVersions) {
        this.builtinLoadCommand = List.copyOf(builtinLoadCommand);
        this.toolVersions = toolVersions;
    }

    /** Reads and checks a plan file; nothing runs. */
    public static Plan readPlan(Path file, List<Integer> onlineCpus) {
        return readPlan(file, onlineCpus, PlanOverrides.NONE);
    }

    /** A plan file with the command line's overrides written in. */
    public static Plan readPlan(Path file, List<Integer> onlineCpus, PlanOverrides overrides) {
        return PlanFile.parse(file.toString(), overrides.apply(read(file)), onlineCpus);
    }

    /**
     * Runs a plan, or finishes a run. The store is opened only once the plan is known to be good,
     * and closed at the end.
     */
    public FinishedRun run(Request request, Supplier<ResultStore> stores, SystemFacts facts, Listener listener) {
        String text = request.resumeRun() == null ? request.overrides().apply(read(request.planFile())) : null;
        Plan fresh = text == null ? null : PlanFile.parse(request.planFile().toString(), text, facts.onlineCpus());
        try (ResultStore store = stores.get()) {
            OpenedRun opened;
            if (fresh == null) {
                RunRecord run = store.run(request.resumeRun());
                Plan plan = PlanFile.parse(run.planFile(), run.planText(), facts.onlineCpus());
                opened = new OpenedRun(run.id(), plan, run.planFile(), Matrix.expand(plan).size(), run, store.location());
            } else {
                long runId = store.sharedByMachines() ? submit(request.planFile(), text, store, facts)
                        : store.createRun(fresh.name(), request.planFile().toString(), text, facts.asMap(), toolVersions.get());
                opened = new OpenedRun(runId, fresh, request.planFile().toString(), Matrix.expand(fresh).size(), null, store.location());
            }
            listener.runOpened(opened);
            LabRunner.Outcome outcome = run(store, opened, request, facts, listener);
            return new FinishedRun(outcome, store.scenarios(opened.runId()), store.location());
        }
    }

    /**
     * Stores a plan's run and its scenarios as pending work for lab workers; nothing runs here.
     * Each scenario names its target and host group: the target's {@code host_group}, or the
     * machine of whichever worker measures it.
     */
    public long submit(Path planFile, ResultStore store, SystemFacts facts) {
        return submit(planFile, read(planFile), store, facts);
    }

    private long submit(Path planFile, String text, ResultStore store, SystemFacts facts) {
        Plan plan = PlanFile.parse(planFile.toString(), text, facts.onlineCpus());
        return new WorkQueue(store).submit(plan.name(), planFile.toString(), text, facts.asMap(), toolVersions.get(), work(plan));
    }

    private static List<WorkQueue.Work> work(Plan plan) {
        List<WorkQueue.Work> work = new ArrayList<>();
        for (Scenario s : Matrix.expand(plan)) {
            String group = s.target().hostGroup() == null ? WorkQueue.WORKER_MACHINE : s.target().hostGroup();
            work.add(new WorkQueue.Work(s.dims(), s.target().name(), group));
        }
        return work;
    }

    /**
     * Works as a lab worker on the store's queued runs until told to stop (Ctrl-C, SIGTERM: the
     * current scenario is kept as partial and claimable again) or the options say it is done.
     */
    public LabWorker.Outcome work(ResultStore store, LabWorker.Options options, String cyclictest, SystemFacts facts, Listener listener) {
        String host = hostName();
        String owner = host + " pid " + ProcessHandle.current().pid() + " " + UUID.randomUUID().toString().substring(0, 8);
        LabWorker worker = new LabWorker(store, plan -> targetContext(plan, facts, listener), probes(cyclictest), listener, CpuClaims.inStateFolder(),
                facts.onlineCpus(), owner, "machine " + host);
        listener.info("worker " + owner + " on " + store.location() + " (lease " + LabWorker.LEASE_MS / 1000.0 + " s, renewed every "
                + LabWorker.HEARTBEAT_MS / 1000.0 + " s)");
        return stoppable(worker::interrupt, () -> worker.run(options));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** A run on a store other machines share: submitted as work, then measured by a worker here that serves only it. */
    private LabRunner.Outcome runAsWork(ResultStore store, OpenedRun opened, Request request, SystemFacts facts, Listener listener) {
        if (opened.resumed() != null) new WorkQueue(store).requeue(opened.runId(), work(opened.plan()));
        if (request.retryFailed()) new WorkQueue(store).retryFailed(opened.runId());
        LabWorker.Outcome o = work(store, new LabWorker.Options(List.of(), 0, true, opened.runId()), request.cyclictest(), facts, listener);
        return new LabRunner.Outcome(opened.runId(), o.ran(), o.done(), o.failed(), o.interrupted());
    }

    private TargetContext targetContext(Plan plan, SystemFacts facts, Listener listener) {
        Path stateDir = LeftoverReaper.defaultStateDir();
        Map<String, String> tools = new LinkedHashMap<>();
        for (String tool : List.of("stress-ng", "hackbench")) Executables.which(tool).ifPresent(p -> tools.put(tool, p.toString()));
        String scratch;
        try {
            scratch = PrivateFolder.get().toString();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create vmlat's private temporary folder: " + e.getMessage(), e);
        }
        LoadLauncher loads = new LoadLauncher(stateDir, builtinLoadCommand, tools, Math.max(1, facts.onlineCpus().size()), scratch);
        Map<String, TargetSettings> planTargets = new LinkedHashMap<>();
        plan.targets().forEach((name, spec) -> planTargets.put(name, spec.settings()));
        return new TargetContext(loads, listener::warning, listener::info, stateDir, GuestImageBuilder.defaultCacheDir(),
                new RunResources(listener::warning), planTargets);
    }

    /** A scenario's command lines as a run would record them: the probe's, and the load's ("" for none). */
    public record Commands(String probe, String load) {}

    /**
     * The command lines of each scenario on a target measured from this machine (the local kind:
     * exactly what runs; a guest's or remote machine's are those its target derives from the same
     * spec and load), without starting anything.
     */
    public List<Commands> commands(Plan plan, List<Scenario> scenarios, String cyclictest, SystemFacts facts) {
        LabRunner.Probes probes = probes(cyclictest);
        Map<String, String> tools = new LinkedHashMap<>();
        for (String tool : List.of("stress-ng", "hackbench")) Executables.which(tool).ifPresent(p -> tools.put(tool, p.toString()));
        String scratch;
        try {
            scratch = PrivateFolder.get().toString(); // where a run's loads write, as in the run
        } catch (IOException e) {
            scratch = System.getProperty("java.io.tmpdir");
        }
        LoadLauncher loads = new LoadLauncher(LeftoverReaper.defaultStateDir(), builtinLoadCommand, tools,
                Math.max(1, facts.onlineCpus().size()), scratch);
        List<Commands> out = new ArrayList<>();
        for (Scenario s : scenarios) {
            String probe;
            try {
                probe = probes.forEngine(s.probe()).commandLine(LabRunner.probeSpec(plan, s));
            } catch (IllegalArgumentException e) {
                probe = "(refused: " + e.getMessage() + ")";
            }
            out.add(new Commands(probe, String.join(" ", loads.resolve(s.load()).command())));
        }
        return out;
    }

    private static LabRunner.Probes probes(String cyclictest) {
        return engine -> engine.equals("cyclictest") ? new CyclictestProbe(cyclictest) : new BuiltinProbe();
    }

    /** Runs the work with Ctrl-C and SIGTERM calling {@code stop}; the hook waits until the work has closed its targets and committed. */
    private static <T> T stoppable(Runnable stop, Supplier<T> work) {
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.run();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "vmlat-lab-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (PrivateFolder.Use loadsWriteThere = PrivateFolder.use()) {
            return work.get();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running and has been released
            }
        }
    }

    /** Loads a dead vmlat left behind are ended by the caller before the run (the CLI says which). */
    private LabRunner.Outcome run(ResultStore store, OpenedRun opened, Request request, SystemFacts facts, Listener listener) {
        if (opened.resumed() != null) {
            // results a full disk kept out of the store count as finished before anything is measured
            try {
                for (SpilledResults.Imported i : SpilledResults.importAll(store, opened.runId())) {
                    listener.info("stored the result of scenario " + (i.scenarioIndex() + 1) + " (" + i.samples()
                            + " samples) kept in " + i.file() + " when the store's disk was full");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the results kept while the store's disk was full: " + e.getMessage(), e);
            }
        }
        if (store.sharedByMachines()) return runAsWork(store, opened, request, facts, listener);
        LabRunner runner = new LabRunner(store, targetContext(opened.plan(), facts, listener), probes(request.cyclictest()), listener,
                CpuClaims.inStateFolder(), facts.onlineCpus());
        return stoppable(runner::interrupt, () -> {
            LabRunner.Outcome o = runner.run(opened.plan(), opened.runId(), request.retryFailed());
            if (o.interrupted()) listener.interrupted(opened, o);
            return o;
        });
    }

    private static String read(Path file) {
        return readText(file);
    }

    /** The biggest plan read: far beyond any real one, far below what strains memory. */
    private static final long MAX_PLAN_BYTES = 1 << 20;

    /**
     * A plan's text: an error naming the file when it is missing, a folder, too big or not UTF-8
     * (naming the line of the first bad byte).
     */
    static String readText(Path file) {
        try {
            if (Files.isDirectory(file)) throw new FormatException(file.toString(), 0, null, "is a directory, not a plan file");
            if (Files.exists(file) && Files.size(file) > MAX_PLAN_BYTES) {
                throw new FormatException(file.toString(), 0, null, "is " + Files.size(file) + " bytes; a plan has at most " + MAX_PLAN_BYTES);
            }
            return InputText.utf8(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new FormatException(file.toString(), 0, null, "no such file");
        } catch (IOException e) {
            throw new FormatException(file.toString(), 0, null, "cannot read: " + e.getMessage());
        }
    }
}
