package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.lab.LabRunner;
import org.vmlat.lab.LabService;
import org.vmlat.lab.Matrix;
import org.vmlat.lab.Plan;
import org.vmlat.lab.PlanOverrides;
import org.vmlat.lab.Scenario;
import org.vmlat.latency.Durations;
import org.vmlat.latency.FormatException;
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
import org.vmlat.targets.TargetUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Run every scenario of a plan and store the results.",
        description = {"Expands the plan's matrix (targets x probes x intervals x loads x priorities x repetitions,",
            "minus exclusions), runs each scenario with its load, and commits it to the store as it finishes.",
            "Ctrl-C keeps the finished scenarios and the current one's snapshot; --resume RUN finishes the rest."},
        footer = ExitCodes.FOOTER)
final class LabRunCommand implements Callable<Integer> {
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

    @Option(names = "--duration", paramLabel = "DURATION", description = "Measure each scenario this long instead of the plan's duration "
            + "(e.g. 2s; below a second for builtin-only plans); recorded in the run's plan text.")
    String duration;

    @Option(names = "--repetitions", paramLabel = "N", description = "Repeat every cell this many times instead of the plan's repetitions.")
    Integer repetitions;

    @Option(names = "--dry-run", description = "Print the scenarios and the command lines they would run, and exit.")
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
        LabService.Request request;
        try {
            request = new LabService.Request(planFile, resume, retryFailed, cyclictest, new PlanOverrides(duration, repetitions));
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, e.getMessage());
        }
        // the plan (read to the end, every problem at once) and then its [[limit]] tables are checked before anything runs
        Plan plan = planFile == null ? null : LabService.readPlan(planFile, facts.onlineCpus(), request.overrides());
        List<Limit> limits = planLimits();
        if (dryRun && resume == null) {
            List<Scenario> scenarios = Matrix.expand(plan);
            printPlan(out, plan, scenarios);
            List<LabService.Commands> commands = new LabService(Tools.builtinLoadCommand(), Tools::versions).commands(plan, scenarios, cyclictest, facts);
            for (int i = 0; i < scenarios.size(); i++) {
                out.println("#" + (i + 1) + " probe: " + TerminalText.inert(commands.get(i).probe()));
                if (!commands.get(i).load().isEmpty()) out.println("#" + (i + 1) + " load:  " + TerminalText.inert(commands.get(i).load()));
            }
            out.flush();
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
                List<Outcome> outcomes = LimitCheck.check(run.scenarios(), limits, sc -> s.threadResults(sc.id()));
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
