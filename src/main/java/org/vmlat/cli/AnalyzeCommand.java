package org.vmlat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vmlat.latency.Durations;
import org.vmlat.report.Table;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Sensitivity;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;
import org.vmlat.taskset.TaskSetFile;
import org.vmlat.sched.TaskVerdict;
import org.vmlat.sched.Verdict;
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
        Verdict v = Sensitivity.analyze(set, s, bound.ns(), model);
        long tolerable = Sensitivity.maxTolerableLatency(set, s, model);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scheduler", s.name().toLowerCase(Locale.ROOT));
            m.put("schedulable", v.schedulable());
            m.put("latency_ns", bound.ns());
            m.put("latency_source", bound.origin());
            m.put("latency_model", model.name().toLowerCase(Locale.ROOT));
            m.put("max_tolerable_latency_ns", tolerable);
            m.put("utilisation", set.utilisation());
            List<Object> tasks = new ArrayList<>();
            for (TaskVerdict t : v.tasks()) {
                Map<String, Object> tm = new LinkedHashMap<>();
                tm.put("name", t.name());
                tm.put("response_time_ns", t.responseTimeNs() < 0 ? null : t.responseTimeNs());
                tm.put("schedulable", t.schedulable());
                tm.put("slack_ns", t.slackNs() < 0 && t.responseTimeNs() < 0 ? null : t.slackNs());
                if (!t.reason().isEmpty()) tm.put("reason", t.reason());
                tasks.add(tm);
            }
            m.put("tasks", tasks);
            m.put("bounded", v.bounded());
            if (!v.note().isEmpty()) m.put("note", v.note());
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "# vmlat analyze %s: %s, %d tasks, utilisation %.3f, latency %s (%s) as %s%n", file,
                    s == Scheduler.FP ? "fixed priority" : "EDF", set.size(), set.utilisation(), Durations.format(bound.ns()),
                    bound.origin(), model.name().toLowerCase(Locale.ROOT));
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < set.size(); i++) {
                Task t = set.get(i);
                TaskVerdict tv = v.tasks().get(i);
                rows.add(List.of(t.name(), s == Scheduler.FP ? Integer.toString(i + 1) : "-", Durations.format(t.wcetNs()),
                        Durations.format(t.periodNs()), Durations.format(t.deadlineNs()), Durations.format(t.jitterNs()),
                        Durations.format(t.blockingNs()), tv.responseTimeNs() < 0 ? "-" : Durations.format(tv.responseTimeNs()),
                        tv.responseTimeNs() < 0 ? "-" : (tv.slackNs() < 0 ? "-" + Durations.format(-tv.slackNs()) : Durations.format(tv.slackNs())),
                        tv.schedulable() ? "yes" : "NO"));
            }
            out.print(Table.render(List.of("task", "prio", "C", "T", "D", "J", "B", "R", "slack", "ok"), rows));
            for (TaskVerdict tv : v.tasks()) if (!tv.reason().isEmpty() && s == Scheduler.FP) out.println(tv.name() + ": " + tv.reason());
            if (!v.note().isEmpty() && s == Scheduler.EDF) out.println(v.note());
            out.println(v.schedulable() ? "Schedulable." : "NOT schedulable.");
            out.println(tolerable < 0 ? "Not schedulable even without latency."
                    : "Largest tolerable latency (" + model.name().toLowerCase(Locale.ROOT) + " model): " + Durations.format(tolerable)
                    + " (" + tolerable + " ns)" + (bound.ns() > 0 && tolerable >= bound.ns() ? ", margin " + Durations.format(tolerable - bound.ns()) : ""));
            if (v.bounded()) out.println("Note: the analysis hit its work limit: " + v.note());
        }
        out.flush();
        return v.schedulable() ? ExitCodes.OK : ExitCodes.THRESHOLD;
    }
}
