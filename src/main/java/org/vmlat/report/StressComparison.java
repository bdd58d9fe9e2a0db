package org.vmlat.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.store.ScenarioRecord;

/**
 * Stress vs no stress: every loaded scenario beside the scenario that differs from it only by
 * having no load, with the ratio of the chosen metric.
 */
public final class StressComparison {
    public record Row(String setting, String load, WorstCaseTable.Cell idle, WorstCaseTable.Cell stressed) {
        public double ratio() {
            return idle.valueNs() <= 0 || stressed.valueNs() < 0 ? Double.NaN : (double) stressed.valueNs() / idle.valueNs();
        }
    }

    private StressComparison() {}

    public static List<Row> rows(List<ScenarioRecord> scenarios, WorstCaseTable.Metric metric) {
        Map<String, List<ScenarioRecord>> bySetting = new LinkedHashMap<>();
        for (ScenarioRecord s : scenarios) {
            List<String> others = new ArrayList<>();
            for (var e : s.dims().entrySet()) if (!e.getKey().equals("load") && !e.getKey().equals("repetition")) others.add(e.getValue());
            bySetting.computeIfAbsent(String.join(" / ", others), k -> new ArrayList<>()).add(s);
        }
        List<Row> out = new ArrayList<>();
        bySetting.forEach((setting, list) -> {
            List<ScenarioRecord> idle = list.stream().filter(s -> "none".equals(s.dims().get("load"))).toList();
            if (idle.isEmpty()) return;
            WorstCaseTable.Cell idleCell = WorstCaseTable.cell(idle, metric);
            Map<String, List<ScenarioRecord>> byLoad = new LinkedHashMap<>();
            for (ScenarioRecord s : list) if (!"none".equals(s.dims().get("load"))) byLoad.computeIfAbsent(s.dims().get("load"), k -> new ArrayList<>()).add(s);
            byLoad.forEach((load, l) -> out.add(new Row(setting, load, idleCell, WorstCaseTable.cell(l, metric))));
        });
        return out;
    }

    public static String render(List<Row> rows, WorstCaseTable.Metric metric) {
        List<List<String>> table = new ArrayList<>();
        for (Row r : rows) {
            table.add(List.of(r.setting(), r.load(), WorstCaseTable.text(r.idle()), WorstCaseTable.text(r.stressed()),
                    Double.isNaN(r.ratio()) ? "-" : String.format(java.util.Locale.ROOT, "x%.1f", r.ratio())));
        }
        return Table.render(List.of("setting", "load", "no stress (" + metric.label + " us)", "stress (" + metric.label + " us)", "ratio"), table);
    }
}
