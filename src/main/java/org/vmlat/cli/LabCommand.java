package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.vmlat.lab.LabProgress;
import org.vmlat.lab.LabRunner;
import org.vmlat.lab.Matrix;
import org.vmlat.lab.Plan;
import org.vmlat.lab.PlanFile;
import org.vmlat.lab.Scenario;
import org.vmlat.latency.Durations;
import org.vmlat.load.LeftoverReaper;
import org.vmlat.load.LoadLauncher;
import org.vmlat.os.CpuClaims;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.builtin.BuiltinProbe;
import org.vmlat.probe.cyclictest.CyclictestProbe;
import org.vmlat.report.Micros;
import org.vmlat.report.WorstCaseTable;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.targets.LocalTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lab", header = "Run experiment matrices.", mixinStandardHelpOptions = true,
        subcommands = {LabCommand.Run.class})
public final class LabCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            header = "Run every scenario of a plan and store the results.",
            description = {"Expands the plan's matrix (targets x probes x intervals x loads x priorities x repetitions,",
                "minus exclusions), runs each scenario with its load, and commits it to the store as it finishes.",
                "Ctrl-C keeps the finished scenarios and the current one's snapshot; --resume RUN finishes the rest."},
            footer = ExitCodes.FOOTER)
    static final class Run implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN", description = "Plan file (TOML, see docs/lab.md).")
        Path planFile;

        @Mixin
        StoreOption storeOption;

        @Option(names = "--resume", paramLabel = "RUN", description = "Finish the scenarios of this run that are not done.")
        Long resume;

        @Option(names = "--retry-failed", description = "With --resume: run failed scenarios again too.")
        boolean retryFailed;

        @Option(names = "--dry-run", description = "Print the scenarios and exit.")
        boolean dryRun;

        @Option(names = {"-q", "--quiet"}, description = "No progress line.")
        boolean quiet;

        @Option(names = "--cyclictest", defaultValue = "cyclictest", description = "cyclictest executable. Default: ${DEFAULT-VALUE}.")
        String cyclictest;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SystemFacts facts = SystemFactsReader.live();
            if (resume == null && planFile == null) throw new VmlatException(ExitCodes.USAGE, "give a PLAN file, or --resume RUN");
            if (!dryRun) Leftovers.endOrRefuse(err);
            Plan plan;
            ResultStore store = null;
            Map<org.vmlat.targets.ssh.SshSettings, org.vmlat.targets.xen.Dom0> dom0s = null;
            try {
                long runId;
                if (resume != null) {
                    store = storeOption.open();
                    RunRecord run = store.run(resume);
                    plan = PlanFile.parse(run.planFile(), run.planText(), facts.onlineCpus());
                    runId = resume;
                    out.printf("# vmlat lab: resuming run %d (%s): %d of %d scenarios done%n", runId, run.name(), run.done(), run.scenarios());
                } else {
                    String text;
                    try {
                        text = Files.readString(planFile);
                    } catch (NoSuchFileException e) {
                        throw new VmlatException(ExitCodes.ERROR, planFile + ": no such file");
                    }
                    plan = PlanFile.parse(planFile.toString(), text, facts.onlineCpus());
                    List<Scenario> scenarios = Matrix.expand(plan);
                    if (dryRun) {
                        printPlan(out, plan, scenarios);
                        return ExitCodes.OK;
                    }
                    store = storeOption.open();
                    runId = store.createRun(plan.name(), planFile.toString(), text, facts.asMap(), Tools.versions());
                    out.printf("# vmlat lab: run %d, plan %s: %d scenarios of %s each, store %s%n", runId, planFile, scenarios.size(),
                            Durations.format(plan.durationNs()), store.location());
                }
                Path stateDir = LeftoverReaper.defaultStateDir();
                Map<String, String> tools = new LinkedHashMap<>();
                DoctorCommand.which("stress-ng").ifPresent(p -> tools.put("stress-ng", p));
                DoctorCommand.which("hackbench").ifPresent(p -> tools.put("hackbench", p));
                LoadLauncher loads = new LoadLauncher(stateDir, Tools.builtinLoadCommand(), tools, Math.max(1, facts.onlineCpus().size()),
                        PrivateFolder.get().toString());
                Progress progress = new Progress(out, err, !quiet && System.console() != null);
                // one target per scenario shape (a Xen target per mode and kernel, ...), sharing one connection per Dom0
                Map<org.vmlat.lab.Plan.TargetSpec, org.vmlat.targets.Target> made = new LinkedHashMap<>();
                dom0s = new LinkedHashMap<>();
                var d0 = dom0s;
                LabRunner.Targets targetFor = t -> made.computeIfAbsent(t, n -> Targets.create(t, loads, d0, progress::warning, progress::info));
                LabRunner runner = new LabRunner(store, targetFor,
                        engine -> engine.equals("cyclictest") ? new CyclictestProbe(cyclictest) : new BuiltinProbe(), progress,
                        CpuClaims.inStateFolder(), facts.onlineCpus());
                // every target is checked before anything runs (remote ones are reached): a wrong key must not fail every scenario one by one
                for (org.vmlat.lab.Plan.TargetSpec t : new java.util.LinkedHashSet<>(Matrix.expand(plan).stream().map(Scenario::target).toList())) {
                    try {
                        targetFor.forSpec(t).check();
                    } catch (RuntimeException e) {
                        store.setRunStatus(runId, "failed", true);
                        throw e instanceof org.vmlat.probe.ProbeException ? new VmlatException(ExitCodes.ENVIRONMENT, "target \"" + t.name() + "\": " + e.getMessage()) : e;
                    }
                }
                CountDownLatch finished = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    runner.interrupt();
                    try {
                        finished.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "vmlat-lab-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                LabRunner.Outcome o;
                try {
                    o = runner.run(plan, runId, retryFailed);
                } finally {
                    finished.countDown();
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running and has been released
                    }
                }
                progress.clear();
                out.println();
                var all = store.scenarios(runId);
                if (org.vmlat.report.XenStudyTables.applies(all)) {
                    out.print(org.vmlat.report.XenStudyTables.render(all, WorstCaseTable.Metric.MAX, WorstCaseTable.Format.TEXT));
                } else {
                    out.println("Worst case (max latency, us), run " + runId + ":");
                    out.print(WorstCaseTable.render(WorstCaseTable.pivot(all, List.of("probe", "interval"), List.of("target", "load"),
                            WorstCaseTable.Metric.MAX), WorstCaseTable.Format.TEXT));
                }
                org.vmlat.report.Emulation.notes(all).forEach(out::println);
                out.printf("%d scenario(s) run: %d done, %d failed%s. Results: %s (vmlat report %d --store %s)%n", o.ran(), o.done(), o.failed(),
                        o.interrupted() ? ", interrupted (vmlat lab run --resume " + runId + " finishes it)" : "", store.location(), runId, store.location());
                out.flush();
                return o.failed() > 0 ? ExitCodes.ERROR : ExitCodes.OK;
            } finally {
                if (dom0s != null) dom0s.values().forEach(org.vmlat.targets.xen.Dom0::close);
                if (store != null) store.close();
            }
        }

        private static void printPlan(PrintWriter out, Plan plan, List<Scenario> scenarios) {
            out.printf("# plan %s: %d scenarios, %s each (+%s warm-up), %d thread(s)%s, %s%n", plan.name(), scenarios.size(),
                    Durations.format(plan.durationNs()), Durations.format(plan.warmupNs()), plan.threads(),
                    plan.affinity().isEmpty() ? "" : " on CPUs " + org.vmlat.os.CpuList.format(plan.affinity()), plan.policy().cliName());
            List<List<String>> rows = new ArrayList<>();
            for (Scenario s : scenarios) {
                List<String> row = new ArrayList<>();
                row.add(Integer.toString(s.index() + 1));
                row.addAll(s.dims().values());
                rows.add(row);
            }
            List<String> header = new ArrayList<>(List.of("#"));
            header.addAll(scenarios.get(0).dims().keySet());
            out.print(org.vmlat.report.Table.render(header, rows));
            long total = scenarios.size() * (plan.durationNs() + plan.warmupNs()) / 1_000_000_000L;
            out.printf("Measuring time: %s (plus load settling and probe start-up)%n", Durations.format(total * 1_000_000_000L));
        }
    }

    /** The progress line: scenario i of N, settings, elapsed/remaining, worst latency so far. */
    static final class Progress implements LabProgress {
        private final PrintWriter out;
        private final PrintWriter err;
        private final boolean live;
        private boolean drawn;

        Progress(PrintWriter out, PrintWriter err, boolean live) {
            this.out = out;
            this.err = err;
            this.live = live;
        }

        @Override
        public void runStarted(long runId, int scenarios, int toRun) {
            if (toRun < scenarios) out.printf("%d of %d scenarios to run%n", toRun, scenarios);
        }

        @Override
        public void scenarioStarted(Scenario s, int position, int toRun, long runElapsedMs, long runRemainingMs) {
            clear();
            out.printf(Locale.ROOT, "[%d/%d] %s  (run: %s elapsed, ~%s left)%n", position, toRun, settings(s), mmss(runElapsedMs), mmss(runRemainingMs));
            out.flush();
        }

        @Override
        public void scenarioStatus(Scenario s, int position, int toRun, long elapsedMs, long remainingMs, long runRemainingMs, long worstNs) {
            if (!live) return;
            out.printf(Locale.ROOT, "\r  scenario %s elapsed, %s left; run ~%s left; worst so far %s us\u001B[K", mmss(elapsedMs), mmss(remainingMs),
                    mmss(runRemainingMs), worstNs < 0 ? "-" : Micros.of(worstNs));
            out.flush();
            drawn = true;
        }

        @Override
        public void scenarioFinished(Scenario s, int position, int toRun, String status, String reason, long maxNs) {
            clear();
            out.printf(Locale.ROOT, "  -> %s%s%s%n", status, maxNs >= 0 ? ", max " + Micros.of(maxNs) + " us" : "", reason == null ? "" : ": " + reason);
            out.flush();
        }

        @Override
        public void warning(String message) {
            clear();
            err.println("vmlat: warning: " + message);
            err.flush();
        }

        void info(String message) {
            clear();
            err.println("vmlat: " + message);
            err.flush();
        }

        void clear() {
            if (drawn) {
                out.print("\r\u001B[K");
                out.flush();
                drawn = false;
            }
        }

        static String settings(Scenario s) {
            List<String> parts = new ArrayList<>();
            s.dims().forEach((k, v) -> {
                if (!k.equals("repetition") || !v.equals("1")) parts.add(k + "=" + v);
            });
            return String.join(" ", parts);
        }

        static String mmss(long ms) {
            long s = Math.max(0, ms) / 1000;
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
    }
}
