package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.store.ScenarioRecord;

/**
 * Which figures were measured under emulation (a QEMU guest under TCG, a Xen booted by
 * {@code vmlat xen up}), so that every report says so and no comparison silently puts them
 * beside hardware figures.
 */
public final class Emulation {
    private Emulation() {}

    /** How a scenario's target was emulated, or null for hardware (or hardware virtualization). */
    public static String of(ScenarioRecord s) {
        String e = s.settings().get(SettingsKeys.EMULATED);
        if (e != null && !e.isBlank()) return e;
        if ("tcg".equals(s.settings().get(SettingsKeys.QEMU_ACCEL))) return "QEMU full emulation (TCG), not KVM";
        return null;
    }

    /** One line per kind of emulation: "EMULATED: rt-guest ran under ...: those figures ...". */
    public static List<String> notes(List<ScenarioRecord> all) {
        Map<String, TreeSet<String>> targets = new TreeMap<>();
        for (ScenarioRecord s : all) {
            String e = of(s);
            if (e != null) targets.computeIfAbsent(e, k -> new TreeSet<>()).add(s.dims().getOrDefault("target", "?"));
        }
        List<String> out = new ArrayList<>();
        targets.forEach((how, t) -> out.add("EMULATED: " + String.join(", ", t) + " ran under " + how
                + ": those figures measure emulation and are not comparable with figures from hardware."));
        return out;
    }

    /** A warning when A and B mix emulated and non-emulated figures, else null. */
    public static String mixed(ScenarioRecord a, ScenarioRecord b) {
        String ea = of(a), eb = of(b);
        if ((ea == null) == (eb == null)) return null;
        return "NOT LIKE FOR LIKE: " + (ea != null ? "A ran under " + ea + ", B did not" : "B ran under " + eb + ", A did not")
                + ": the difference includes the emulation.";
    }
}
