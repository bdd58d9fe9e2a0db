package org.vmlat.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.latency.Durations;
import org.vmlat.load.Placement;

/** Expands a plan into its scenarios: the cartesian product of its dimensions, minus exclusions. */
public final class Matrix {
    public static final List<String> DIMENSIONS = List.of("target", "kernel", "mode", "dm_priority", "scheduler", "probe", "interval", "load",
            "priority", "repetition");
    /** Dimensions that shape a target; a plan has them only if its matrix names them. */
    public static final List<String> TARGET_DIMENSIONS = List.of("kernel", "mode", "dm_priority", "scheduler");

    private Matrix() {}

    public static List<Scenario> expand(Plan plan) {
        List<Map<String, String>> cells = new ArrayList<>();
        cells.add(new LinkedHashMap<>());
        for (String dim : DIMENSIONS) {
            List<String> values = dim.equals("repetition") ? repetitions(plan.repetitions()) : plan.dimensions().get(dim);
            if (values == null) continue;
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> c : cells) {
                for (String v : values) {
                    Map<String, String> m = new LinkedHashMap<>(c);
                    m.put(dim, v);
                    next.add(m);
                }
            }
            cells = next;
        }
        List<Scenario> out = new ArrayList<>();
        java.util.Set<Map<String, String>> seen = new java.util.HashSet<>();
        for (Map<String, String> c : cells) {
            if (excluded(c, plan.excludes()) || impossible(plan, c)) continue;
            String kind = plan.targets().get(c.get("target")).kind();
            // a dimension that does not apply to this target is shown as "-" and does not multiply its scenarios
            for (String d : TARGET_DIMENSIONS) {
                if (c.containsKey(d) && !applies(d, kind)) c.put(d, "-");
            }
            if (!seen.add(c)) continue;
            out.add(new Scenario(out.size(), c, plan.targets().get(c.get("target")).forScenario(c), c.get("probe"),
                    Durations.parseNs(c.get("interval"), Durations.Unit.US), plan.loads().get(c.get("load")),
                    Integer.parseInt(c.get("priority")), Integer.parseInt(c.get("repetition"))));
        }
        return out;
    }

    /**
     * Combinations that cannot run: a guest (QEMU or Xen) measures with cyclictest only (the builtin probe
     * is Java and the guest image holds none), and a guest-placed load needs a guest target.
     */
    static boolean impossible(Plan plan, Map<String, String> cell) {
        boolean qemu = !plan.targets().get(cell.get("target")).kind().equals("local"); // guests: QEMU or Xen
        if (qemu && cell.get("probe").equals("builtin")) return true;
        return !qemu && plan.loads().get(cell.get("load")).placement() == Placement.GUEST; // BOTH runs on the host alone
    }

    /** kernel shapes QEMU and Xen guests; mode, dm_priority and scheduler only Xen guests. */
    static boolean applies(String dim, String kind) {
        return dim.equals("kernel") ? kind.equals("qemu") || kind.equals("xen") : kind.equals("xen");
    }

    static boolean excluded(Map<String, String> cell, List<Map<String, List<String>>> excludes) {
        for (Map<String, List<String>> ex : excludes) {
            boolean all = true;
            for (var e : ex.entrySet()) all &= e.getValue().contains(cell.get(e.getKey()));
            if (all) return true;
        }
        return false;
    }

    private static List<String> repetitions(int n) {
        List<String> r = new ArrayList<>();
        for (int i = 1; i <= n; i++) r.add(Integer.toString(i));
        return r;
    }
}
