package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.lab.LabRunner;
import org.vmlat.lab.LabService;
import org.vmlat.lab.Matrix;
import org.vmlat.lab.Plan;
import org.vmlat.lab.Scenario;
import org.vmlat.latency.Durations;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.os.CpuList;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.report.Emulation;
import org.vmlat.report.Limit;
import org.vmlat.report.LimitCheck;
import org.vmlat.report.LimitCheck.Outcome;
import org.vmlat.report.LimitsFile;
import org.vmlat.report.RunReport;
import org.vmlat.report.Table;
import org.vmlat.report.TerminalText;
import org.vmlat.report.WorstCaseTable;
import org.vmlat.report.XenStudyTables;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.WorkQueue;
import org.vmlat.lab.LabWorker;
import java.time.Instant;
import java.util.Locale;
import org.vmlat.targets.TargetUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "lab", header = "Run experiment matrices.", mixinStandardHelpOptions = true,
        subcommands = {LabCommand.Run.class, LabCommand.Submit.class, LabCommand.Worker.class, LabCommand.Status.class})
public final class LabCommand implements Runnable {
    @Spec
    CommandSpec spec;

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
        CommandSpec spec;

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

        @Option(names = "--junit", paramLabel = "FILE", description = "Write the outcome of the plan's [[limit]] tables as JUnit XML (docs/ci.md).")
        Path junit;

        @Option(names = "--cyclictest", defaultValue = "cyclictest", description = "cyclictest executable. Default: ${DEFAULT-VALUE}.")
        String cyclictest;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            SystemFacts facts = SystemFactsReader.live();
            LabService.Request request = new LabService.Request(planFile, resume, retryFailed, cyclictest);
            List<Limit> limits = planLimits(); // checked before anything runs, like the rest of the plan
            if (dryRun && resume == null) {
                Plan plan = LabService.readPlan(planFile, facts.onlineCpus());
                printPlan(out, plan, Matrix.expand(plan));
                return ExitCodes.OK;
            }
            // loads a dead vmlat left behind would disturb this run: end them (a live vmlat's are never touched)
            Leftovers.endOrRefuse(err);
            LabProgressLine progress = new LabProgressLine(out, err, !quiet && System.console() != null);
            LabService.FinishedRun run;
            try {
                run = new LabService(Tools.builtinLoadCommand(), Tools::versions).run(request, storeOption::openForWriting, facts, progress);
            } catch (TargetUnavailableException e) {
                throw new VmlatException(ExitCodes.ENVIRONMENT, e.getMessage(), e);
            }
            progress.clear();
            out.println();
            printResults(out, run);
            out.flush();
            int gate = ExitCodes.OK;
            if (!limits.isEmpty() || junit != null) {
                try (ResultStore s = ResultStore.openReadOnly(run.store())) {
                    List<Outcome> outcomes = LimitCheck.check(run.scenarios(), limits, sc -> LatencyDistribution.of(s.threadResults(sc.id())));
                    gate = GateOptions.judge(outcomes, "vmlat run " + run.outcome().runId(), junit, out);
                } catch (IOException e) {
                    throw new VmlatException(ExitCodes.ERROR, "--junit: cannot write " + junit + ": " + e.getMessage(), e);
                }
            }
            return run.outcome().failed() > 0 ? ExitCodes.ERROR : gate;
        }

        /** The plan's [[limit]] tables (none for --resume without a plan), errors as file:line:field. */
        private List<Limit> planLimits() {
            if (planFile == null) return List.of();
            try {
                return LimitsFile.parseWithin(planFile.toString(), Files.readString(planFile));
            } catch (IOException e) {
                return List.of(); // the plan reader reports the unreadable file
            } catch (FormatException e) {
                throw new VmlatException(ExitCodes.USAGE, e.getMessage());
            }
        }

        private static void printResults(PrintWriter out, LabService.FinishedRun run) {
            List<ScenarioRecord> all = run.scenarios();
            long runId = run.outcome().runId();
            if (XenStudyTables.applies(all)) {
                try (ResultStore s = ResultStore.openReadOnly(run.store())) {
                    out.print(XenStudyTables.render(all, WorstCaseTable.Metric.MAX, WorstCaseTable.Format.TEXT, RunReport.samples(s)));
                }
            } else {
                out.println("Worst case (max latency, us), run " + runId + ":");
                out.print(WorstCaseTable.render(WorstCaseTable.pivot(all, List.of("probe", "interval"), List.of("target", "load"),
                        WorstCaseTable.Metric.MAX), WorstCaseTable.Format.TEXT));
            }
            Emulation.notes(all).forEach(out::println);
            LabRunner.Outcome o = run.outcome();
            out.printf("%d scenario(s) run: %d done, %d failed%s. Results: %s (vmlat report %d --store %s)%n", o.ran(), o.done(), o.failed(),
                    o.interrupted() ? ", interrupted (vmlat lab run --resume " + runId + " finishes it)" : "", run.store(), runId, run.store());
        }

        private static void printPlan(PrintWriter out, Plan plan, List<Scenario> scenarios) {
            out.printf("# plan %s: %d scenarios, %s each (+%s warm-up), %d thread(s)%s, %s%n", TerminalText.inert(plan.name()), scenarios.size(),
                    Durations.format(plan.durationNs()), Durations.format(plan.warmupNs()), plan.threads(),
                    plan.affinity().isEmpty() ? "" : " on CPUs " + CpuList.format(plan.affinity()), plan.policy().cliName());
            List<List<String>> rows = new ArrayList<>();
            for (Scenario s : scenarios) {
                List<String> row = new ArrayList<>();
                row.add(Integer.toString(s.index() + 1));
                row.addAll(s.dims().values());
                rows.add(row);
            }
            List<String> header = new ArrayList<>(List.of("#"));
            header.addAll(scenarios.get(0).dims().keySet());
            out.print(Table.render(header, rows));
            long total = scenarios.size() * (plan.durationNs() + plan.warmupNs()) / 1_000_000_000L;
            out.printf("Measuring time: %s (plus load settling and probe start-up)%n", Durations.format(total * 1_000_000_000L));
        }
    }

    @Command(name = "submit", mixinStandardHelpOptions = true, header = "Store a plan's run as pending work for lab workers.",
            description = {"Expands the plan and stores the run and its scenarios as pending work; `vmlat lab worker` processes on",
                "any number of machines claim and measure them (docs/fleet.md). Prints the run's id."},
            footer = ExitCodes.FOOTER)
    static final class Submit implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "PLAN", description = "Plan file (TOML, see docs/lab.md).")
        Path planFile;

        @Mixin
        StoreOption storeOption;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            SystemFacts facts = SystemFactsReader.live();
            long runId;
            try (ResultStore store = storeOption.openForWriting()) {
                runId = new LabService(Tools.builtinLoadCommand(), Tools::versions).submit(planFile, store, facts);
                out.printf("run %d submitted: %d scenarios pending (vmlat lab status %d --store %s)%n", runId,
                        store.run(runId).scenarios(), runId, store.location());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "worker", mixinStandardHelpOptions = true, header = "Claim and measure submitted scenarios.",
            description = {"Claims the scenarios of submitted runs that this machine can serve (its --targets, those whose check",
                "passes here), one at a time, measuring each as `lab run` does and committing it. Holds a lease renewed while it",
                "measures; a worker killed outright loses it and its scenario is claimed again when the lease expires",
                "(30 s). Ctrl-C or SIGTERM keeps the current scenario as partial, claimable again."},
            footer = ExitCodes.FOOTER)
    static final class Worker implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOption storeOption;

        @Option(names = "--targets", split = ",", paramLabel = "NAMES", description = "Serve only these targets of the plans (default: all it can).")
        List<String> targets = new ArrayList<>();

        @Option(names = "--max", paramLabel = "N", defaultValue = "0", description = "Stop after N scenarios (0: no limit).")
        int max;

        @Option(names = "--until-idle", description = "Stop once no submitted run has work left.")
        boolean untilIdle;

        @Option(names = "--run", paramLabel = "RUN", description = "Serve only this run.")
        Long run;

        @Option(names = {"-q", "--quiet"}, description = "No progress line.")
        boolean quiet;

        @Option(names = "--cyclictest", defaultValue = "cyclictest", description = "cyclictest executable. Default: ${DEFAULT-VALUE}.")
        String cyclictest;

        @Override
        public Integer call() {
            if (max < 0) throw new VmlatException(ExitCodes.USAGE, "--max: expected 0 (no limit) or more, got " + max);
            PrintWriter out = spec.commandLine().getOut();
            LabProgressLine progress = new LabProgressLine(out, spec.commandLine().getErr(), !quiet && System.console() != null);
            LabWorker.Outcome o;
            try (ResultStore store = storeOption.openForWriting()) {
                o = new LabService(Tools.builtinLoadCommand(), Tools::versions).work(store, new LabWorker.Options(targets, max, untilIdle, run),
                        cyclictest, SystemFactsReader.live(), progress);
            } catch (TargetUnavailableException e) {
                throw new VmlatException(ExitCodes.ENVIRONMENT, e.getMessage(), e);
            }
            progress.clear();
            out.printf("worker measured %d scenario(s): %d done, %d failed%s%n", o.ran(), o.done(), o.failed(), o.interrupted() ? ", stopped" : "");
            out.flush();
            return o.failed() > 0 ? ExitCodes.ERROR : ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Where a run's scenarios stand across workers.",
            description = "Counts done, running (on which worker, since when), pending, partial and failed scenarios; lists the running and failed ones.")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Mixin
        StoreOption storeOption;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ResultStore store = storeOption.open()) {
                var run = store.run(runId);
                List<WorkQueue.Item> items = new WorkQueue(store).items(runId);
                Map<ScenarioStatus, Integer> counts = new EnumMap<>(ScenarioStatus.class);
                for (ScenarioStatus st : ScenarioStatus.values()) counts.put(st, 0);
                items.forEach(i -> counts.merge(i.status(), 1, Integer::sum));
                out.printf(Locale.ROOT, "run %d (%s): %s; %d scenarios: %d done, %d running, %d pending, %d partial, %d failed%n", runId, run.name(),
                        run.status(), items.size(), counts.get(ScenarioStatus.DONE), counts.get(ScenarioStatus.RUNNING),
                        counts.get(ScenarioStatus.PENDING), counts.get(ScenarioStatus.PARTIAL), counts.get(ScenarioStatus.FAILED));
                List<List<String>> rows = new ArrayList<>();
                for (WorkQueue.Item i : items) {
                    if (i.status() != ScenarioStatus.RUNNING && i.status() != ScenarioStatus.FAILED) continue;
                    String where = i.owner() == null ? "-" : i.owner();
                    String lease = i.status() != ScenarioStatus.RUNNING ? "" : i.leaseLeftMs() >= 0
                            ? String.format(Locale.ROOT, "%.1f s left", i.leaseLeftMs() / 1000.0) : "expired (claimable again)";
                    rows.add(List.of(Integer.toString(i.index() + 1), i.target(), i.status().storedName(), where,
                            i.startedMs() > 0 ? Instant.ofEpochMilli(i.startedMs()).toString() : "-", lease, Integer.toString(i.attempt()),
                            i.reason() == null ? "" : i.reason()));
                }
                if (!rows.isEmpty()) {
                    out.print(Table.render(List.of("#", "target", "status", "worker", "since", "lease", "attempt", "reason"), rows));
                }
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
