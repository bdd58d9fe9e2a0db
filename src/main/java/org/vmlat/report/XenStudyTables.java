package org.vmlat.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.Durations;
import org.vmlat.store.ScenarioRecord;

/**
 * A Xen run in the layout of the reference study: the worst case by guest kernel and mode (PV,
 * PVH, HVM) without stress, stress in Dom0 against no stress, and the period sweep. Each table
 * holds the scenarios at the run's main period (the one most scenarios share) unless it is the
 * sweep, so the mode table does not silently mix periods or loads.
 */
public final class XenStudyTables {
    private XenStudyTables() {}

    /** Whether a run has Xen mode as a dimension (then this layout is its default report). */
    public static boolean applies(List<ScenarioRecord> all) {
        return all.stream().anyMatch(s -> s.dims().containsKey("mode") && !s.dims().get("mode").equals("-"));
    }

    /** The tables, stress against no stress not judged where a cell has one repetition (no samples at hand). */
    public static String render(List<ScenarioRecord> all, WorstCaseTable.Metric m, WorstCaseTable.Format f) {
        return render(all, m, f, null);
    }

    /** The tables; {@code samples} (may be null) judges stress against no stress in cells with one repetition. */
    public static String render(List<ScenarioRecord> all, WorstCaseTable.Metric m, WorstCaseTable.Format f, StressComparison.Samples samples) {
        List<ScenarioRecord> xen = all.stream().filter(s -> !"-".equals(s.dims().getOrDefault("mode", "-"))).toList();
        String main = mainInterval(xen);
        List<String> rows = xen.stream().anyMatch(s -> s.dims().containsKey("kernel")) ? List.of("kernel") : List.of("target");
        StringBuilder out = new StringBuilder();
        xen.stream().filter(s -> s.settings().containsKey(SettingsKeys.XEN_VERSION)).findFirst().ifPresent(s -> out.append("Xen ")
                .append(s.settings().get(SettingsKeys.XEN_VERSION)).append(", scheduler ").append(s.settings().getOrDefault(SettingsKeys.XEN_SCHEDULER, "?"))
                .append(", Dom0 ").append(s.settings().getOrDefault(SettingsKeys.XEN_DOM0, "?")).append(" (kernel ")
                .append(s.settings().getOrDefault(SettingsKeys.XEN_DOM0_KERNEL, "?")).append(")")
                .append(Emulation.of(s) != null ? "; EMULATED" : "").append("\n\n"));
        List<ScenarioRecord> idle = xen.stream().filter(s -> s.dims().getOrDefault("load", "none").equals("none")
                && main.equals(s.dims().get("interval"))).toList();
        if (!idle.isEmpty()) {
            out.append("Guest kernel x mode (").append(m.label).append(", us; no stress in Dom0, period ").append(main).append("):\n");
            out.append(WorstCaseTable.render(WorstCaseTable.pivot(idle, rows, List.of("mode"), m), f));
        }
        List<ScenarioRecord> atMain = xen.stream().filter(s -> main.equals(s.dims().get("interval"))).toList();
        List<String> loads = atMain.stream().map(s -> s.dims().getOrDefault("load", "none")).distinct().toList();
        if (loads.size() > 1) {
            List<String> r = new ArrayList<>(rows);
            r.add("mode");
            out.append("\nStress / No stress (").append(m.label).append(", us; period ").append(main).append("; load runs in Dom0):\n");
            out.append(WorstCaseTable.render(WorstCaseTable.pivot(atMain, r, List.of("load"), m), f));
            List<StressComparison.Row> cmp = StressComparison.rows(atMain, m, samples);
            if (!cmp.isEmpty() && f == WorstCaseTable.Format.TEXT) out.append(StressComparison.render(cmp, m));
        }
        List<ScenarioRecord> sweep = xen.stream().filter(s -> s.dims().getOrDefault("load", "none").equals("none")).toList();
        if (sweep.stream().map(s -> s.dims().get("interval")).distinct().count() > 1) {
            List<String> c = new ArrayList<>(rows);
            c.add("mode");
            out.append("\nPeriod sweep (").append(m.label).append(", us; no stress; Linux's Xen clockevent adds up to 100 us of TIMER_SLOP):\n");
            out.append(WorstCaseTable.render(WorstCaseTable.pivot(sweep, List.of("interval"), c, m), f));
        }
        return out.toString();
    }

    /** The period most Xen scenarios share (ties: the longest, the study's base case). */
    static String mainInterval(List<ScenarioRecord> xen) {
        Map<String, Long> counts = xen.stream().collect(Collectors.groupingBy(s -> s.dims().getOrDefault("interval", "?"), LinkedHashMap::new, Collectors.counting()));
        return counts.entrySet().stream().max(Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue)
                .thenComparingLong(e -> Durations.parseNs(e.getKey(), Durations.Unit.US)))
                .map(Map.Entry::getKey).orElse("?");
    }
}
