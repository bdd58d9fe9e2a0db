package org.vmlat.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * Everything stored about a run, format "vmlat-run" version 1: the plan, system facts, tool
 * versions, and per scenario its settings, commands and threads. Each thread is written exactly
 * as in vmlat's result file ({@link ResultJsonFormat}), histogram and spikes included; the spike
 * explanations a traced scenario stored are written as JSON under {@code explanations} (as
 * {@code vmlat explain --json} writes them), not as a string among the settings.
 */
final class JsonExport implements ExportFormat {
    @Override
    public String name() {
        return "json";
    }

    @Override
    public String description() {
        return "everything, threads as in vmlat's result file";
    }

    /** Stored JSON as a tree, so it nests in the export; kept as text if the store holds something else. */
    private static Object json(String text) {
        try {
            return ResultJsonFormat.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    @Override
    public String write(RunRecord r, List<ScenarioRecord> scenarios, ThreadResults threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "vmlat-run");
        m.put("version", 1);
        m.put("run", r.id());
        m.put("name", r.name());
        m.put("plan_file", r.planFile());
        m.put("plan", r.planText());
        m.put("status", r.status().storedName());
        m.put("started", Instant.ofEpochMilli(r.startedMs()).toString());
        m.put("ended", r.endedMs() > 0 ? Instant.ofEpochMilli(r.endedMs()).toString() : null);
        m.put("system", r.system());
        m.put("tools", r.tools());
        List<Object> sc = new ArrayList<>();
        for (ScenarioRecord s : scenarios) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("scenario", s.index() + 1);
            x.put("dims", s.dims());
            x.put("status", s.status().storedName());
            x.put("reason", s.reason());
            x.put("realtime", s.realtime());
            x.put("probe_command", s.probeCommand());
            x.put("load_command", s.loadCommands());
            Map<String, String> settings = new LinkedHashMap<>(s.settings());
            String explained = settings.remove(SettingsKeys.EXPLAIN);
            x.put("settings", settings);
            x.put("explanations", explained == null ? null : json(explained));
            x.put("warnings", s.warnings());
            List<Object> list = new ArrayList<>();
            for (ThreadResult t : threads.of(s)) list.add(ResultJsonFormat.thread(t));
            x.put("threads", list);
            sc.add(x);
        }
        m.put("scenarios", sc);
        try {
            return ResultJsonFormat.MAPPER.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
