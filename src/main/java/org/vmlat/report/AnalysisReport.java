package org.vmlat.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmlat.latency.Durations;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.TaskVerdict;
import org.vmlat.sched.Verdict;

/** A schedulability verdict as a table of tasks (durations with units) or as JSON (integer ns). */
public final class AnalysisReport {
    /** What the analysis assumed: the task-set file, the scheduler and the latency with where it came from. */
    public record Setup(String source, Scheduler scheduler, long latencyNs, String latencyOrigin, LatencyModel model) {}

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AnalysisReport() {}

    /** {@code tolerable}: the largest latency the set tolerates, -1 when it is unschedulable even without. */
    public static String text(Setup setup, TaskSet set, Verdict v, long tolerable) {
        Scheduler s = setup.scheduler();
        LatencyModel model = setup.model();
        String file = setup.source();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "# vmlat analyze %s: %s, %d tasks, utilisation %.3f, latency %s (%s) as %s%n", file,
                s == Scheduler.FP ? "fixed priority" : "EDF", set.size(), set.utilisation(), Durations.format(setup.latencyNs()),
                setup.latencyOrigin(), model.name().toLowerCase(Locale.ROOT)));
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
        out.append(Table.render(List.of("task", "prio", "C", "T", "D", "J", "B", "R", "slack", "ok"), rows));
        for (TaskVerdict tv : v.tasks()) if (!tv.reason().isEmpty() && s == Scheduler.FP) out.append(tv.name()).append(": ").append(tv.reason()).append('\n');
        if (!v.note().isEmpty() && s == Scheduler.EDF) out.append(v.note()).append('\n');
        out.append(v.schedulable() ? "Schedulable." : "NOT schedulable.").append('\n');
        out.append(tolerable < 0 ? "Not schedulable even without latency."
                : "Largest tolerable latency (" + model.name().toLowerCase(Locale.ROOT) + " model): " + Durations.format(tolerable)
                + " (" + tolerable + " ns)" + (setup.latencyNs() > 0 && tolerable >= setup.latencyNs() ? ", margin " + Durations.format(tolerable - setup.latencyNs()) : "")).append('\n');
        if (v.bounded()) out.append("Note: the analysis hit its work limit: ").append(v.note()).append('\n');
        return out.toString();
    }

    public static String json(Setup setup, TaskSet set, Verdict v, long tolerable) {
        Scheduler s = setup.scheduler();
        LatencyModel model = setup.model();
        try {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scheduler", s.name().toLowerCase(Locale.ROOT));
            m.put("schedulable", v.schedulable());
            m.put("latency_ns", setup.latencyNs());
            m.put("latency_source", setup.latencyOrigin());
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
            return MAPPER.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
