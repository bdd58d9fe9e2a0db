package org.vmlat.lab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmlat.latency.Durations;
import org.vmlat.load.Placement;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetKinds;

/** Expands a plan into its scenarios: the cartesian product of its dimensions, minus exclusions. */
public final class Matrix {
    /** Dimensions that shape a target (kernel, mode, ...), from the target kinds; a plan has them only if its matrix names them. */
    public static final List<String> TARGET_DIMENSIONS = TargetKinds.dimensionNames();
    /** Every dimension in the order scenarios show them: the target and what shapes it first. */
    public static final List<String> DIMENSIONS = dimensions();

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
        Set<Map<String, String>> seen = new HashSet<>();
        for (Map<String, String> c : cells) {
            if (excluded(c, plan.excludes()) || impossible(plan, c)) continue;
            TargetKind<?> kind = plan.targets().get(c.get("target")).kind();
            // a dimension that does not apply to this target is shown as "-" and does not multiply its scenarios
            for (String d : TARGET_DIMENSIONS) {
                if (c.containsKey(d) && !kind.understands(d)) c.put(d, "-");
            }
            if (!seen.add(c)) continue;
            out.add(new Scenario(out.size(), c, plan.targets().get(c.get("target")).forScenario(c), c.get("probe"),
                    Durations.parseNs(c.get("interval"), Durations.Unit.US), plan.loads().get(c.get("load")),
                    Integer.parseInt(c.get("priority")), Integer.parseInt(c.get("repetition"))));
        }
        return out;
    }

    /**
     * Combinations that cannot run: a probe engine the target's kind does not have (a guest image
     * holds cyclictest and no Java), and a guest-placed load on a target that is no guest.
     */
    static boolean impossible(Plan plan, Map<String, String> cell) {
        TargetKind<?> kind = plan.targets().get(cell.get("target")).kind();
        if (!kind.engines().contains(cell.get("probe"))) return true;
        return !kind.guest() && plan.loads().get(cell.get("load")).placement() == Placement.GUEST; // BOTH runs on the host alone
    }

    private static List<String> dimensions() {
        List<String> d = new ArrayList<>(List.of("target"));
        d.addAll(TARGET_DIMENSIONS);
        d.addAll(List.of("probe", "interval", "load", "priority", "repetition"));
        return List.copyOf(d);
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
