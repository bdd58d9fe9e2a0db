package org.vmlat.lab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.vmlat.latency.Durations;
import org.vmlat.latency.FormatException;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.load.Presets;
import org.vmlat.os.CpuList;
import org.vmlat.os.SchedPolicy;
import org.vmlat.targets.MatrixDimension;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetKinds;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.TargetTable;

/**
 * Reads a lab plan (TOML, docs/lab.md). Everything is checked before anything runs; errors name
 * the file, the line and the key: {@code plan.toml:14: matrix.interval[2]: unknown unit "parsecs"}.
 */
public final class PlanFile {
    private static final Set<String> TOP = Set.of("name", "duration", "warmup", "repetitions", "timeout", "matrix", "probe", "target", "load", "exclude");
    /** The matrix's own dimensions; the target kinds add theirs (kernel, mode, ...). */
    private static final List<String> MATRIX = List.of("target", "probe", "interval", "load", "priority");
    private static final Set<String> PROBE = Set.of("threads", "affinity", "policy", "histogram");
    private static final Set<String> LOAD = Set.of("name", "preset", "command", "instances", "placement");
    private static final Set<String> ENGINES = Set.of("builtin", "cyclictest");

    private final String source;

    private PlanFile(String source) {
        this.source = source;
    }

    public static Plan parse(String source, String text, List<Integer> onlineCpus) {
        return new PlanFile(source).read(text, onlineCpus);
    }

    private Plan read(String text, List<Integer> onlineCpus) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            TomlParseError e = toml.errors().get(0);
            throw new FormatException(source, e.position() == null ? 0 : e.position().line(), null, "TOML syntax: " + e.getMessage());
        }
        unknownKeys(toml, TOP, "");
        String name = string(toml, "name", "", "name");
        long duration = duration(toml, "duration", -1, "duration");
        if (duration <= 0) throw error(toml, "duration", "duration", duration < 0 ? "missing (e.g. duration = \"30s\")" : "must be greater than 0");
        if (duration % 1_000_000_000L != 0) throw error(toml, "duration", "duration", "must be whole seconds (cyclictest's -D unit)");
        long warmup = duration(toml, "warmup", 0, "warmup");
        long timeout = duration(toml, "timeout", 60_000_000_000L, "timeout");
        long reps = integer(toml, "repetitions", 1, "repetitions");
        if (reps < 1 || reps > 1000) throw error(toml, "repetitions", "repetitions", "expected 1..1000, got " + reps);

        // targets: each kind reads its own keys
        Set<String> targetKeys = new TreeSet<>(Set.of("name", "kind"));
        for (TargetKind<?> k : TargetKinds.all()) targetKeys.addAll(k.keys());
        Map<String, Plan.TargetSpec> targets = new LinkedHashMap<>();
        for (TomlTable t : tables(toml, "target")) {
            unknownKeys(t, targetKeys, "target");
            String tn = string(t, "name", null, "target.name");
            if (tn == null) throw error(t, null, "target.name", "missing");
            String where = "target \"" + tn + "\"";
            String kindName = string(t, "kind", TargetKinds.defaultKind().name(), where + ".kind");
            TargetKind<?> kind = TargetKinds.byName(kindName).orElseThrow(() -> error(t, "kind", where + ".kind",
                    "\"" + kindName + "\" is not supported yet (kinds: " + String.join(", ", TargetKinds.names()) + ")"));
            for (String k : t.keySet()) {
                if (!k.equals("name") && !k.equals("kind") && !kind.keys().contains(k)) throw error(t, k, where + "." + k, notFor(kind, k));
            }
            TargetSettings settings = kind.read(new KindTable(t, where, onlineCpus));
            if (targets.put(tn, new Plan.TargetSpec(tn, kind, settings)) != null) throw error(t, "name", "target.name", "duplicate target \"" + tn + "\"");
        }
        if (targets.isEmpty()) {
            TargetKind<?> local = TargetKinds.defaultKind();
            targets.put("host", new Plan.TargetSpec("host", local, local.read(new KindTable(null, "target \"host\"", onlineCpus))));
        }

        // loads
        Map<String, LoadSpec> loads = new LinkedHashMap<>();
        loads.put("none", LoadSpec.NONE);
        for (TomlTable l : tables(toml, "load")) {
            unknownKeys(l, LOAD, "load");
            String ln = string(l, "name", null, "load.name");
            if (ln == null) throw error(l, null, "load.name", "missing");
            String where = "load \"" + ln + "\"";
            String preset = string(l, "preset", "", where + ".preset");
            List<String> command = strings(l, "command", where, "an array of strings, e.g. [\"stress-ng\", \"--cpu\", \"1\"]");
            if (l.contains("command") && command.isEmpty()) throw error(l, "command", where + ".command", "must not be empty");
            if (preset.isEmpty() == command.isEmpty()) throw error(l, null, where, "give either preset or command");
            if (!preset.isEmpty() && !Presets.ALL.containsKey(preset)) {
                throw error(l, "preset", where + ".preset", "unknown preset \"" + preset + "\" (known: " + String.join(", ", new TreeSet<>(Presets.ALL.keySet())) + ")");
            }
            long inst = integer(l, "instances", 0, where + ".instances");
            if (inst < 0 || inst > 1024) throw error(l, "instances", where + ".instances", "expected 0..1024 (0 = one per CPU), got " + inst);
            Placement placement;
            try {
                placement = Placement.fromPlan(string(l, "placement", Placement.HOST.planName(), where + ".placement"));
            } catch (IllegalArgumentException e) {
                throw error(l, "placement", where + ".placement", e.getMessage());
            }
            if (placement.inGuest() && !preset.equals("scheduler")) {
                throw error(l, "placement", where + ".placement", "in a guest only preset = \"scheduler\" (hackbench) is available");
            }
            if (ln.equals("none") || loads.put(ln, new LoadSpec(ln, preset, command, (int) inst, placement)) != null) {
                throw error(l, "name", where + ".name", ln.equals("none") ? "\"none\" is reserved for no load" : "duplicate load \"" + ln + "\"");
            }
        }

        // probe settings
        TomlTable probe = toml.isTable("probe") ? toml.getTable("probe") : null;
        int threads = 1;
        List<Integer> affinity = List.of();
        SchedPolicy policy = SchedPolicy.FIFO;
        long histogram = 10_000_000;
        if (probe != null) {
            unknownKeys(probe, PROBE, "probe");
            threads = (int) integer(probe, "threads", 1, "probe.threads");
            if (threads < 1 || threads > 1024) throw error(probe, "threads", "probe.threads", "expected 1..1024, got " + threads);
            String aff = string(probe, "affinity", "", "probe.affinity");
            try {
                affinity = CpuList.parse(aff);
            } catch (IllegalArgumentException e) {
                throw error(probe, "affinity", "probe.affinity", e.getMessage());
            }
            for (int c : affinity) {
                if (!onlineCpus.isEmpty() && !onlineCpus.contains(c)) throw error(probe, "affinity", "probe.affinity", "CPU " + c + " is not online (online: " + CpuList.format(onlineCpus) + ")");
            }
            String pol = string(probe, "policy", "fifo", "probe.policy");
            try {
                policy = SchedPolicy.valueOf(pol.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(probe, "policy", "probe.policy", "expected fifo, rr or other, got \"" + pol + "\"");
            }
            histogram = duration(probe, "histogram", histogram, "probe.histogram");
        }

        // the matrix
        if (!toml.isTable("matrix")) throw new FormatException(source, 0, "matrix", "missing [matrix] table");
        TomlTable m = toml.getTable("matrix");
        List<String> targetDims = TargetKinds.dimensionNames();
        Set<String> matrixKeys = new TreeSet<>(MATRIX);
        matrixKeys.addAll(targetDims);
        unknownKeys(m, matrixKeys, "matrix");
        Map<String, List<String>> dims = new LinkedHashMap<>();
        dims.put("target", values(m, "target", List.copyOf(targets.keySet()), v -> {
            if (!targets.containsKey(v)) throw new IllegalArgumentException("unknown target \"" + v + "\" (defined: " + String.join(", ", targets.keySet()) + ")");
            return v;
        }));
        dims.put("probe", values(m, "probe", List.of("builtin"), v -> {
            if (!ENGINES.contains(v)) throw new IllegalArgumentException("unknown probe \"" + v + "\" (builtin, cyclictest)");
            return v;
        }));
        dims.put("interval", values(m, "interval", null, v -> {
            long ns = Durations.parseNs(v, Durations.Unit.US);
            if (ns <= 0) throw new IllegalArgumentException("must be greater than 0");
            return Durations.format(ns);
        }));
        dims.put("load", values(m, "load", List.of("none"), v -> {
            if (!loads.containsKey(v)) throw new IllegalArgumentException("unknown load \"" + v + "\" (defined: " + String.join(", ", loads.keySet()) + ")");
            return v;
        }));
        dims.put("priority", values(m, "priority", List.of("95"), v -> {
            int p = Integer.parseInt(v);
            if (policy_realtime(probe) && (p < 1 || p > 99)) throw new IllegalArgumentException("expected 1..99, got " + p);
            return Integer.toString(p);
        }));
        for (String dim : targetDims) {
            if (m.contains(dim)) dims.put(dim, targetDimension(m, dim, targets.values()));
        }
        if (dims.get("probe").contains("cyclictest")) {
            for (String iv : dims.get("interval")) {
                if (Durations.parseNs(iv, Durations.Unit.US) % 1000 != 0) {
                    throw error(m, "interval", "matrix.interval", iv + " is not whole microseconds, which cyclictest needs (exclude the pair or change it)");
                }
            }
        }

        // exclusions
        List<Map<String, List<String>>> excludes = new ArrayList<>();
        for (TomlTable ex : tables(toml, "exclude")) {
            Set<String> excludeKeys = new TreeSet<>(matrixKeys);
            excludeKeys.add("repetition");
            unknownKeys(ex, excludeKeys, "exclude");
            Map<String, List<String>> e = new LinkedHashMap<>();
            for (String k : ex.keySet()) {
                List<String> vals = values(ex, k, null, v -> k.equals("interval") ? Durations.format(Durations.parseNs(v, Durations.Unit.US)) : v);
                List<String> known = k.equals("repetition") ? null : dims.get(k);
                for (String v : vals) {
                    if (known != null && !known.contains(v)) throw error(ex, k, "exclude." + k, "\"" + v + "\" is not a value of matrix." + k + " " + known);
                }
                e.put(k, vals);
            }
            if (e.isEmpty()) throw error(ex, null, "exclude", "empty [[exclude]] would drop every scenario");
            excludes.add(e);
        }
        Plan plan = new Plan(name.isEmpty() ? source : name, source, text, duration, warmup, (int) reps, timeout, dims, targets,
                loads, threads, affinity, policy, histogram, excludes);
        if (Matrix.expand(plan).isEmpty()) throw new FormatException(source, 0, "exclude", "the exclusions leave no scenario to run");
        return plan;
    }

    /**
     * A target dimension's values, checked by every kind in the plan that understands it, and
     * shaping every such target without a problem.
     */
    private List<String> targetDimension(TomlTable m, String dim, Collection<Plan.TargetSpec> targets) {
        List<TargetKind<?>> kinds = new ArrayList<>();
        for (Plan.TargetSpec t : targets) if (t.kind().understands(dim) && !kinds.contains(t.kind())) kinds.add(t.kind());
        if (kinds.isEmpty()) {
            List<String> which = TargetKinds.all().stream().filter(k -> k.understands(dim)).map(TargetKind::name).toList();
            throw error(m, dim, "matrix." + dim, "applies to " + String.join(" and ", which) + " targets; this plan has none");
        }
        List<String> values = values(m, dim, null, v -> {
            for (TargetKind<?> k : kinds) {
                for (MatrixDimension d : k.dimensions()) if (d.name().equals(dim)) v = d.value().apply(v);
            }
            return v;
        });
        for (Plan.TargetSpec t : targets) {
            String problem = t.kind().understands(dim) ? t.settings().matrixProblem(dim, values) : null;
            if (problem != null) throw error(m, dim, "matrix." + dim, "target \"" + t.name() + "\" " + problem);
        }
        return values;
    }

    /** Why a key does not belong in a target of this kind: where it belongs, or what the kind takes. */
    private static String notFor(TargetKind<?> kind, String key) {
        if (kind.keys().isEmpty()) {
            List<String> which = TargetKinds.all().stream().filter(k -> k.keys().contains(key)).map(TargetKind::name).toList();
            return "applies to " + String.join(" or ", which) + " targets only";
        }
        Set<String> takes = new TreeSet<>(kind.keys());
        takes.addAll(Set.of("name", "kind"));
        return "does not apply to " + kind.name() + " targets (they take: " + String.join(", ", takes) + ")";
    }

    private boolean policy_realtime(TomlTable probe) {
        return probe == null || !"other".equalsIgnoreCase(probe.getString("policy") == null ? "fifo" : probe.getString("policy"));
    }

    // ---- helpers ----

    private interface Check {
        String apply(String value);
    }

    private List<String> values(TomlTable t, String key, List<String> dflt, Check check) {
        if (!t.contains(key)) {
            if (dflt == null) throw error(t, null, t == null ? key : "matrix." + key, "missing");
            return dflt;
        }
        List<Object> raw = new ArrayList<>();
        if (t.isArray(key)) {
            TomlArray a = t.getArray(key);
            for (int i = 0; i < a.size(); i++) raw.add(a.get(i));
        } else {
            raw.add(t.get(key));
        }
        if (raw.isEmpty()) throw error(t, key, key, "empty list: the matrix would be empty");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Object o = raw.get(i);
            String field = key + (raw.size() > 1 ? "[" + (i + 1) + "]" : "");
            if (!(o instanceof String) && !(o instanceof Long)) throw error(t, key, field, "expected a string or integer, got " + o);
            String v;
            try {
                v = check.apply(o.toString());
            } catch (IllegalArgumentException e) {
                throw error(t, key, field, e.getMessage());
            }
            if (out.contains(v)) throw error(t, key, field, "duplicate value \"" + v + "\"");
            out.add(v);
        }
        return out;
    }

    private List<TomlTable> tables(TomlTable toml, String key) {
        List<TomlTable> out = new ArrayList<>();
        if (!toml.contains(key)) return out;
        if (!toml.isArray(key)) throw error(toml, key, key, "expected [[" + key + "]] tables");
        TomlArray a = toml.getArray(key);
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof TomlTable t)) throw error(toml, key, key, "expected [[" + key + "]] tables");
            out.add(t);
        }
        return out;
    }

    private void unknownKeys(TomlTable t, Set<String> known, String prefix) {
        for (String k : t.keySet()) {
            if (!known.contains(k)) {
                throw error(t, k, (prefix.isEmpty() ? "" : prefix + ".") + k, "unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
    }

    /** An array of one-line strings (empty when absent); errors name the element. */
    private List<String> strings(TomlTable t, String key, String where, String expected) {
        List<String> out = new ArrayList<>();
        if (!t.contains(key)) return out;
        if (!t.isArray(key)) throw error(t, key, where + "." + key, "expected " + expected);
        TomlArray a = t.getArray(key);
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof String s) || s.contains("\n")) throw error(t, key, where + "." + key + "[" + (i + 1) + "]", "expected a one-line string");
            out.add(s);
        }
        return out;
    }

    private String string(TomlTable t, String key, String dflt, String field) {
        if (!t.contains(key)) return dflt;
        Object v = t.get(key);
        if (!(v instanceof String s)) throw error(t, key, field, "expected a string, got " + v);
        return s;
    }

    private long integer(TomlTable t, String key, long dflt, String field) {
        if (!t.contains(key)) return dflt;
        Object v = t.get(key);
        if (!(v instanceof Long l)) throw error(t, key, field, "expected an integer, got " + v);
        return l;
    }

    private long duration(TomlTable t, String key, long dflt, String field) {
        if (!t.contains(key)) return dflt;
        Object v = t.get(key);
        if (!(v instanceof String s)) throw error(t, key, field, "expected a duration with a unit like \"30s\", got " + v);
        try {
            return Durations.parseNs(s, Durations.Unit.S);
        } catch (IllegalArgumentException e) {
            throw error(t, key, field, e.getMessage());
        }
    }

    private FormatException error(TomlTable t, String key, String field, String problem) {
        long line = 0;
        if (t != null && key != null) {
            TomlPosition p = t.inputPositionOf(key);
            if (p != null) line = p.line();
        } else if (t != null) {
            for (String k : t.keySet()) {
                TomlPosition p = t.inputPositionOf(k);
                if (p != null && (line == 0 || p.line() < line)) line = p.line();
            }
        }
        return new FormatException(source, line, field, problem);
    }

    /** A [[target]] table as its kind reads it, errors located in this plan file. */
    private final class KindTable implements TargetTable {
        private final TomlTable table;
        private final String where;
        private final List<Integer> onlineCpus;

        /** @param table null for the default target, which the plan does not write */
        KindTable(TomlTable table, String where, List<Integer> onlineCpus) {
            this.table = table;
            this.where = where;
            this.onlineCpus = List.copyOf(onlineCpus);
        }

        @Override
        public String where() {
            return where;
        }

        @Override
        public List<Integer> onlineCpus() {
            return onlineCpus;
        }

        @Override
        public boolean has(String key) {
            return table != null && table.contains(key);
        }

        @Override
        public String string(String key, String dflt) {
            return has(key) ? PlanFile.this.string(table, key, dflt, field(key)) : dflt;
        }

        @Override
        public long integer(String key, long dflt) {
            return has(key) ? PlanFile.this.integer(table, key, dflt, field(key)) : dflt;
        }

        @Override
        public long durationNs(String key, long dflt) {
            return has(key) ? PlanFile.this.duration(table, key, dflt, field(key)) : dflt;
        }

        @Override
        public boolean bool(String key, boolean dflt) {
            if (!has(key)) return dflt;
            if (!(table.get(key) instanceof Boolean b)) throw error(key, "expected true or false");
            return b;
        }

        @Override
        public List<String> strings(String key, String expected) {
            return has(key) ? PlanFile.this.strings(table, key, where, expected) : List.of();
        }

        @Override
        public FormatException error(String key, String problem) {
            return PlanFile.this.error(table, key != null && has(key) ? key : null, key == null ? where : field(key), problem);
        }

        private String field(String key) {
            return where + "." + key;
        }
    }
}
