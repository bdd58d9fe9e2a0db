package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmlat.report.AnalysisReport;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Sensitivity;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.Verdict;
import org.vmlat.taskset.TaskSetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "analyze", mixinStandardHelpOptions = true,
        header = "Is a task set schedulable under a given latency, and how much latency can it tolerate?",
        description = {"Exact uniprocessor analyses: fixed priority (response-time analysis with jitter, blocking and",
            "deadlines beyond periods) or EDF (processor demand, QPA). See docs/analysis.md."},
        footer = "%nExit codes: 0 schedulable, 3 not schedulable, 1 error, 2 usage.")
public final class AnalyzeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASKS", description = "Task-set file (TOML).")
    Path file;

    @Option(names = "--scheduler", defaultValue = "fp", description = "fp (fixed priority) or edf. Default: ${DEFAULT-VALUE}.")
    Scheduler scheduler;

    @Mixin
    LatencyOptions latency;

    @Option(names = "--json", description = "Print the verdict as JSON (durations in integer ns).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Scheduler s = scheduler;
        LatencyModel model = latency.model();
        LatencyOptions.Bound bound = latency.bound();
        TaskSetFile.Contents contents = TaskSetFile.read(file);
        TaskSet set = contents.taskSet();
        Verdict v;
        long tolerable;
        try {
            v = Sensitivity.analyze(set, s, bound.ns(), model);
            tolerable = Sensitivity.maxTolerableLatency(set, s, model);
        } catch (ArithmeticException e) {
            // the analyses use exact arithmetic: a sum beyond 292 years of ns is input no analysis can take
            throw new VmlatException(ExitCodes.USAGE, file + ": durations too large to analyse exactly (" + e.getMessage() + ")");
        }
        AnalysisReport.Setup setup = new AnalysisReport.Setup(file.toString(), s, bound.ns(), bound.origin(), model);
        out.print(json ? AnalysisReport.json(setup, set, v, tolerable) : AnalysisReport.text(setup, set, v, tolerable));
        out.flush();
        return v.schedulable() ? ExitCodes.OK : ExitCodes.THRESHOLD;
    }
}
