package org.vmlat.lab;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.vmlat.latency.Durations;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.InputText;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.load.Presets;
import org.vmlat.os.CpuList;
import org.vmlat.os.SchedPolicy;
import org.vmlat.probe.cyclictest.CyclictestCommandLine;
import org.vmlat.probe.cyclictest.CyclictestDriver;
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
    private static final Set<String> TOP = Set.of("name", "duration", "warmup", "repetitions", "timeout", "matrix", "probe", "target", "load", "exclude",
            "limit"); // [[limit]] tables: CI gates, read and checked by the report's limits reader
    /** The matrix's own dimensions; the target kinds add theirs (kernel, mode, ...). */
    private static final List<String> MATRIX = List.of("target", "probe", "interval", "load", "priority");
    private static final Set<String> PROBE = Set.of("threads", "affinity", "policy", "histogram", "explain", "trace_threshold", "distance",
            "breaktrace", "cyclictest_args");
    /** The latency from which spikes are explained when [probe] says explain = true without a trace_threshold. */
    private static final long TRACE_THRESHOLD_NS = 100_000;
    private static final Set<String> LOAD = Set.of("name", "preset", "command", "instances", "placement", "cpus");
    private static final Set<String> ENGINES = Set.of("builtin", "cyclictest");

    /** Bounds that keep a plan within memory and reason, each named in its error. */
    static final int MAX_SCENARIOS = 100_000;
    private static final long MAX_DURATION_NS = 86_400_000_000_000L, MAX_HISTOGRAM_NS = 1_000_000_000L;

    private final String source;
    /** Every problem found so far: a plan is read to its end and all its problems reported at once. */
    private final List<FormatException> problems = new ArrayList<>();

    private PlanFile(String source) {
        this.source = source;
    }

    public static Plan parse(String source, String text, List<Integer> onlineCpus) {
        return new PlanFile(source).read(text, onlineCpus);
    }

    private Plan read(String text, List<Integer> onlineCpus) {
        InputText.checkNesting(source, text);
        TomlParseResult toml;
        try {
            toml = Toml.parse(text);
        } catch (StackOverflowError e) {
            throw new FormatException(source, 0, null, "nested too deeply for the TOML reader");
        }
        if (toml.hasErrors()) {
            List<FormatException> syntax = new ArrayList<>();
            for (TomlParseError e : toml.errors()) {
                syntax.add(new FormatException(source, e.position() == null ? 0 : e.position().line(), null, "TOML syntax: " + e.getMessage()));
            }
            throw FormatException.all(syntax);
        }
        unknownKeys(toml, TOP, "");
        String name = check("", () -> plain(toml, "name", string(toml, "name", "", "name"), "name"));
        long duration = check(1_000_000_000L, () -> {
            long d = duration(toml, "duration", -1, "duration");
            if (d <= 0) throw error(toml, "duration", "duration", d < 0 ? "missing (e.g. duration = \"30s\")" : "must be greater than 0");
            if (d > MAX_DURATION_NS) throw error(toml, "duration", "duration", "at most 1d per scenario, got " + Durations.format(d));
            return d;
        });
        long warmup = check(0L, () -> {
            long w = duration(toml, "warmup", 0, "warmup");
            if (w > MAX_DURATION_NS) throw error(toml, "warmup", "warmup", "at most 1d, got " + Durations.format(w));
            return w;
        });
        long timeout = check(60_000_000_000L, () -> {
            long t = duration(toml, "timeout", 60_000_000_000L, "timeout");
            if (t <= 0) throw error(toml, "timeout", "timeout", "must be greater than 0 (the time a scenario may take beyond its duration)");
            if (t > MAX_DURATION_NS) throw error(toml, "timeout", "timeout", "at most 1d, got " + Durations.format(t));
            return t;
        });
        long reps = check(1L, () -> {
            long r = integer(toml, "repetitions", 1, "repetitions");
            if (r < 1 || r > 1000) throw error(toml, "repetitions", "repetitions", "expected 1..1000, got " + r);
            return r;
        });

        // targets: each kind reads its own keys; a broken target still counts as defined, so the matrix does not repeat its problem
        Set<String> targetKeys = new TreeSet<>(Set.of("name", "kind", "host_group"));
        for (TargetKind<?> k : TargetKinds.all()) targetKeys.addAll(k.keys());
        Map<String, Plan.TargetSpec> targets = new LinkedHashMap<>();
        Set<String> definedTargets = new LinkedHashSet<>();
        for (TomlTable t : check(List.<TomlTable>of(), () -> tables(toml, "target"))) {
            unknownKeys(t, targetKeys, "target");
            String tn = check(null, () -> {
                String n = string(t, "name", null, "target.name");
                if (n == null) throw error(t, null, "target.name", "missing");
                return plain(t, "name", n, "target.name");
            });
            if (tn == null) continue;
            if (!definedTargets.add(tn)) {
                problems.add(error(t, "name", "target.name", "duplicate target \"" + tn + "\""));
                continue;
            }
            String where = "target \"" + tn + "\"";
            check(() -> {
                String kindName = string(t, "kind", TargetKinds.defaultKind().name(), where + ".kind");
                TargetKind<?> kind = TargetKinds.byName(kindName).orElseThrow(() -> error(t, "kind", where + ".kind",
                        "\"" + kindName + "\" is not supported yet (kinds: " + String.join(", ", TargetKinds.names()) + ")"));
                boolean foreign = false;
                for (String k : t.keySet()) {
                    if (!k.equals("name") && !k.equals("kind") && !k.equals("host_group") && !kind.keys().contains(k) && targetKeys.contains(k)) {
                        problems.add(error(t, k, where + "." + k, notFor(kind, k)));
                        foreign = true;
                    }
                }
                KindTable table = new KindTable(t, where, onlineCpus);
                TargetSettings settings;
                try {
                    settings = kind.read(table);
                } catch (FormatException e) {
                    // a value already reported as wrong can make the kind see it as missing: report it once
                    if (problems.stream().noneMatch(p -> p.line() == e.line() && p.field() != null && p.field().equals(e.field()))) throw e;
                    return;
                }
                // the physical machine the target measures on: a lab's workers never measure two scenarios of one group at once
                String hostGroup = string(t, "host_group", null, where + ".host_group");
                if (hostGroup != null && hostGroup.isBlank()) throw error(t, "host_group", where + ".host_group", "must not be empty");
                if (!foreign && !table.failed) targets.put(tn, new Plan.TargetSpec(tn, kind, settings, hostGroup));
            });
        }
        if (definedTargets.isEmpty()) {
            TargetKind<?> local = TargetKinds.defaultKind();
            targets.put("host", new Plan.TargetSpec("host", local, local.read(new KindTable(null, "target \"host\"", onlineCpus))));
            definedTargets.add("host");
        }

        // loads
        Map<String, LoadSpec> loads = new LinkedHashMap<>();
        loads.put("none", LoadSpec.NONE);
        Set<String> definedLoads = new LinkedHashSet<>(List.of("none"));
        for (TomlTable l : check(List.<TomlTable>of(), () -> tables(toml, "load"))) {
            unknownKeys(l, LOAD, "load");
            String ln = check(null, () -> {
                String n = string(l, "name", null, "load.name");
                if (n == null) throw error(l, null, "load.name", "missing");
                return plain(l, "name", n, "load.name");
            });
            if (ln == null) continue;
            String where = "load \"" + ln + "\"";
            if (!definedLoads.add(ln)) {
                problems.add(error(l, "name", where + ".name", ln.equals("none") ? "\"none\" is reserved for no load" : "duplicate load \"" + ln + "\""));
                continue;
            }
            check(() -> {
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
                List<Integer> cpus = cpuList(l, "cpus", where + ".cpus", onlineCpus);
                if (!cpus.isEmpty() && !placement.onHost()) {
                    throw error(l, "cpus", where + ".cpus", "pins the load's host side; placement \"" + placement.planName() + "\" runs it in the guest only");
                }
                loads.put(ln, new LoadSpec(ln, preset, command, (int) inst, placement, cpus));
            });
        }

        // probe settings
        TomlTable probe = check(null, () -> {
            if (!toml.contains("probe")) return null;
            if (!toml.isTable("probe")) throw error(toml, "probe", "probe", "expected a [probe] table, got " + InputText.describe(toml.get("probe")));
            return toml.getTable("probe");
        });
        int threads = 1;
        List<Integer> affinity = List.of();
        SchedPolicy policy = SchedPolicy.FIFO;
        long histogram = 10_000_000;
        long traceThreshold = 0;
        if (probe != null) {
            unknownKeys(probe, PROBE, "probe");
            threads = check(1, () -> {
                long n = integer(probe, "threads", 1, "probe.threads");
                if (n < 1 || n > 1024) throw error(probe, "threads", "probe.threads", "expected 1..1024, got " + n);
                return (int) n;
            });
            affinity = check(List.<Integer>of(), () -> cpuList(probe, "affinity", "probe.affinity", onlineCpus));
            policy = check(SchedPolicy.FIFO, () -> {
                String pol = string(probe, "policy", "fifo", "probe.policy");
                try {
                    return SchedPolicy.valueOf(pol.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw error(probe, "policy", "probe.policy", "expected fifo, rr or other, got \"" + pol + "\"");
                }
            });
            histogram = check(histogram, () -> {
                long h = duration(probe, "histogram", 10_000_000, "probe.histogram");
                if (h <= 0) throw error(probe, "histogram", "probe.histogram", "must be greater than 0 (the range the histogram covers, e.g. \"10ms\")");
                if (h > MAX_HISTOGRAM_NS) throw error(probe, "histogram", "probe.histogram", "at most 1s, got " + Durations.format(h));
                return h;
            });
            traceThreshold = check(0L, () -> {
                if (probe.contains("explain") && !probe.isBoolean("explain")) throw error(probe, "explain", "probe.explain", "expected true or false");
                boolean explain = probe.contains("explain") ? Boolean.TRUE.equals(probe.getBoolean("explain")) : probe.contains("trace_threshold");
                if (!explain) return 0L;
                long t = duration(probe, "trace_threshold", TRACE_THRESHOLD_NS, "probe.trace_threshold");
                if (t <= 0) throw error(probe, "trace_threshold", "probe.trace_threshold", "expected a latency > 0, e.g. \"100us\"");
                return t;
            });
        }
        boolean realtime = policy != SchedPolicy.OTHER;

        // the matrix
        TomlTable m = check(null, () -> {
            if (!toml.contains("matrix")) throw new FormatException(source, 0, "matrix", "missing [matrix] table");
            if (!toml.isTable("matrix")) throw error(toml, "matrix", "matrix", "expected a [matrix] table, got " + InputText.describe(toml.get("matrix")));
            return toml.getTable("matrix");
        });
        List<String> targetDims = TargetKinds.dimensionNames();
        Set<String> matrixKeys = new TreeSet<>(MATRIX);
        matrixKeys.addAll(targetDims);
        Map<String, List<String>> dims = new LinkedHashMap<>();
        if (m != null) {
            unknownKeys(m, matrixKeys, "matrix");
            dims.put("target", values(m, "target", List.copyOf(definedTargets), v -> {
                if (!definedTargets.contains(v)) throw new IllegalArgumentException("unknown target \"" + v + "\" (defined: " + String.join(", ", definedTargets) + ")");
                return v;
            }));
            dims.put("probe", values(m, "probe", List.of("builtin"), v -> {
                if (!ENGINES.contains(v)) throw new IllegalArgumentException("unknown probe \"" + v + "\" (builtin, cyclictest)");
                return v;
            }));
            // cyclictest counts its duration in seconds; the built-in probe measures any duration
            if (dims.get("probe").contains("cyclictest") && duration % 1_000_000_000L != 0) {
                problems.add(error(toml, "duration", "duration", "must be whole seconds (cyclictest's -D unit)"));
            }
            long scenarioNs = duration;
            dims.put("interval", values(m, "interval", null, v -> {
                long ns = Durations.parseNs(v, Durations.Unit.US);
                if (ns <= 0) throw new IllegalArgumentException("must be greater than 0");
                if (ns > scenarioNs) {
                    throw new IllegalArgumentException(Durations.format(ns) + " is longer than the duration " + Durations.format(scenarioNs) + ": no sample would be taken");
                }
                return Durations.format(ns);
            }));
            dims.put("load", values(m, "load", List.of("none"), v -> {
                // a preset's name is a load of its own: that preset, one worker per online CPU, on the host
                if (!definedLoads.contains(v) && Presets.ALL.containsKey(v)) {
                    loads.put(v, new LoadSpec(v, v, List.of(), 0, Placement.HOST));
                    definedLoads.add(v);
                }
                if (!definedLoads.contains(v)) {
                    throw new IllegalArgumentException("unknown load \"" + v + "\" (defined: " + String.join(", ", definedLoads)
                            + "; presets usable by name: " + String.join(", ", new TreeSet<>(Presets.ALL.keySet())) + ")");
                }
                return v;
            }));
            dims.put("priority", values(m, "priority", List.of("95"), v -> {
                int p;
                try {
                    p = Integer.parseInt(v.strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a whole number " + (realtime ? "1" : "0") + "..99, got \"" + v + "\"");
                }
                if (realtime && (p < 1 || p > 99)) throw new IllegalArgumentException("expected 1..99, got " + p);
                if (!realtime && (p < 0 || p > 99)) throw new IllegalArgumentException("expected 0..99 (policy other ignores it), got " + p);
                return Integer.toString(p);
            }));
            for (String dim : targetDims) {
                if (m.contains(dim)) check(() -> dims.put(dim, targetDimension(m, dim, targets.values())));
            }
            if (dims.get("probe").contains("cyclictest")) {
                for (String iv : dims.get("interval")) {
                    if (Durations.parseNs(iv, Durations.Unit.US) % 1000 != 0) {
                        problems.add(error(m, "interval", "matrix.interval", iv + " is not whole microseconds, which cyclictest needs (exclude the pair or change it)"));
                    }
                }
            }
            long size = reps;
            for (List<String> values : dims.values()) size = Math.min(size * Math.max(1, values.size()), Integer.MAX_VALUE);
            if (size > MAX_SCENARIOS) {
                problems.add(error(m, null, "matrix", size + " scenarios (the product of the dimensions' values and repetitions) are more than "
                        + MAX_SCENARIOS + "; split the plan"));
            }
        }

        Plan.ProbeKeys probeKeys = probe == null ? Plan.ProbeKeys.DEFAULT : probeKeys(probe, dims.getOrDefault("probe", List.of()), threads);

        // exclusions
        List<Map<String, List<String>>> excludes = new ArrayList<>();
        for (TomlTable ex : check(List.<TomlTable>of(), () -> tables(toml, "exclude"))) {
            Set<String> excludeKeys = new TreeSet<>(matrixKeys);
            excludeKeys.add("repetition");
            unknownKeys(ex, excludeKeys, "exclude");
            Map<String, List<String>> e = new LinkedHashMap<>();
            for (String k : ex.keySet()) {
                if (!excludeKeys.contains(k)) continue;
                List<String> vals = values(ex, k, null, v -> k.equals("interval") ? Durations.format(Durations.parseNs(v, Durations.Unit.US)) : v);
                List<String> known = k.equals("repetition") ? null : dims.get(k);
                if (known == null && !k.equals("repetition")) {
                    problems.add(error(ex, k, "exclude." + k, "matrix." + k + " is not set in this plan"));
                    continue;
                }
                for (String v : vals) {
                    if (known != null && !known.contains(v)) problems.add(error(ex, k, "exclude." + k, "\"" + v + "\" is not a value of matrix." + k + " " + known));
                }
                e.put(k, vals);
            }
            if (ex.isEmpty()) problems.add(error(ex, null, "exclude", "empty [[exclude]] would drop every scenario"));
            excludes.add(e);
        }
        if (!problems.isEmpty()) throw FormatException.all(problems);
        Plan plan = new Plan(name.isEmpty() ? source : name, source, text, duration, warmup, (int) reps, timeout, dims, targets,
                loads, threads, affinity, policy, histogram, excludes, traceThreshold, probeKeys);
        if (Matrix.expand(plan).isEmpty()) throw new FormatException(source, 0, "exclude", "the exclusions leave no scenario to run");
        return plan;
    }

    /** [probe] distance, breaktrace and cyclictest_args, checked against the engines of the matrix. */
    private Plan.ProbeKeys probeKeys(TomlTable probe, List<String> engines, int threads) {
        boolean cyclictest = engines.contains(CyclictestDriver.ENGINE);
        long distance = check(0L, () -> {
            long d = microseconds(probe, "distance", cyclictest);
            if (d > 0 && cyclictest && threads > 1) throw error(probe, "distance", "probe.distance", CyclictestCommandLine.DISTANCE_IGNORED);
            return d;
        });
        long breaktrace = check(0L, () -> microseconds(probe, "breaktrace", cyclictest));
        List<String> args = check(List.<String>of(), () -> {
            List<String> a = strings(probe, "cyclictest_args", "probe", "an array of strings, e.g. [\"--priospread\"]");
            if (!a.isEmpty() && !cyclictest) {
                throw error(probe, "cyclictest_args", "probe.cyclictest_args", "applies to the cyclictest probe only; matrix.probe is " + engines);
            }
            int before = problems.size();
            for (int i = 0; i < a.size(); i++) {
                String field = "probe.cyclictest_args[" + (i + 1) + "]";
                String c = InputText.firstControl(a.get(i));
                String owned = CyclictestCommandLine.reservedBy(a.get(i));
                if (c != null) problems.add(error(probe, "cyclictest_args", field, "contains the control character " + c));
                else if (owned != null) {
                    problems.add(error(probe, "cyclictest_args", field, "\"" + a.get(i) + "\" collides with " + owned + ", which vmlat sets itself"
                            + " (use the plan's keys: duration, matrix.interval, threads, affinity, matrix.priority, policy, histogram, distance, breaktrace)"));
                }
            }
            return problems.size() == before ? a : List.<String>of();
        });
        return new Plan.ProbeKeys(distance, breaktrace, args);
    }

    /** A [probe] duration that may be 0; whole microseconds when cyclictest takes it. */
    private long microseconds(TomlTable probe, String key, boolean cyclictest) {
        long ns = duration(probe, key, 0, "probe." + key);
        if (ns > MAX_DURATION_NS) throw error(probe, key, "probe." + key, "at most 1d, got " + Durations.format(ns));
        if (cyclictest && ns % 1000 != 0) {
            throw error(probe, key, "probe." + key, Durations.format(ns) + " is not whole microseconds, which cyclictest needs");
        }
        return ns;
    }

    /** A CPU list in cpuset syntax ("0-1,4"; "" or absent: none), each CPU online. */
    private List<Integer> cpuList(TomlTable t, String key, String field, List<Integer> onlineCpus) {
        List<Integer> cpus;
        try {
            cpus = CpuList.parse(string(t, key, "", field));
        } catch (IllegalArgumentException e) {
            throw error(t, key, field, e.getMessage());
        }
        for (int c : cpus) {
            if (!onlineCpus.isEmpty() && !onlineCpus.contains(c)) throw error(t, key, field, "CPU " + c + " is not online (online: " + CpuList.format(onlineCpus) + ")");
        }
        return cpus;
    }

    /** Runs one check; its problem is kept and reading goes on, so one try shows every problem of a file. */
    private <T> T check(T fallback, Supplier<T> read) {
        try {
            return read.get();
        } catch (FormatException e) {
            problems.add(e);
            return fallback;
        }
    }

    private void check(Runnable read) {
        check(null, () -> {
            read.run();
            return null;
        });
    }

    /** A name shown on terminals and stored: one line without control characters. */
    private String plain(TomlTable t, String key, String value, String field) {
        String c = InputText.firstControl(value);
        if (c != null) throw error(t, key, field, "contains the control character " + c + " (names are shown on terminals)");
        return value;
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

    // ---- helpers ----

    private interface Check {
        String apply(String value);
    }

    /** A dimension's values; each bad value is kept as a problem and left out. */
    private List<String> values(TomlTable t, String key, List<String> dflt, Check check) {
        if (!t.contains(key)) {
            if (dflt == null) problems.add(error(t, null, "matrix." + key, "missing"));
            return dflt == null ? List.of() : dflt;
        }
        List<Object> raw = new ArrayList<>();
        if (t.isArray(key)) {
            TomlArray a = t.getArray(key);
            for (int i = 0; i < a.size(); i++) raw.add(a.get(i));
        } else {
            raw.add(t.get(key));
        }
        if (raw.isEmpty()) problems.add(error(t, key, key, "empty list: the matrix would be empty"));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            Object o = raw.get(i);
            String field = key + (raw.size() > 1 ? "[" + (i + 1) + "]" : "");
            if (!(o instanceof String) && !(o instanceof Long)) {
                problems.add(error(t, key, field, "expected a string or integer, got " + InputText.describe(o)));
                continue;
            }
            String c = InputText.firstControl(o.toString());
            if (c != null) {
                problems.add(error(t, key, field, "contains the control character " + c));
                continue;
            }
            String v;
            try {
                v = check.apply(o.toString());
            } catch (IllegalArgumentException e) {
                problems.add(error(t, key, field, e.getMessage()));
                continue;
            }
            if (out.contains(v)) problems.add(error(t, key, field, "duplicate value \"" + v + "\""));
            else out.add(v);
        }
        return out;
    }

    private List<TomlTable> tables(TomlTable toml, String key) {
        List<TomlTable> out = new ArrayList<>();
        if (!toml.contains(key)) return out;
        if (!toml.isArray(key)) throw error(toml, key, key, "expected [[" + key + "]] tables, got " + InputText.describe(toml.get(key)));
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
                problems.add(error(t, k, (prefix.isEmpty() ? "" : prefix + ".") + k, "unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")"));
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
        if (!(v instanceof String s)) throw error(t, key, field, "expected a string, got " + InputText.describe(v));
        return s;
    }

    private long integer(TomlTable t, String key, long dflt, String field) {
        if (!t.contains(key)) return dflt;
        Object v = t.get(key);
        if (!(v instanceof Long l)) throw error(t, key, field, "expected an integer, got " + InputText.describe(v));
        return l;
    }

    private long duration(TomlTable t, String key, long dflt, String field) {
        if (!t.contains(key)) return dflt;
        Object v = t.get(key);
        if (!(v instanceof String s)) throw error(t, key, field, "expected a duration with a unit like \"30s\", got " + InputText.describe(v));
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
        /** Whether a value was wrong: its problem is kept, the default stands in so the kind reads on. */
        boolean failed;

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
            return has(key) ? kept(dflt, () -> PlanFile.this.string(table, key, dflt, field(key))) : dflt;
        }

        @Override
        public long integer(String key, long dflt) {
            return has(key) ? kept(dflt, () -> PlanFile.this.integer(table, key, dflt, field(key))) : dflt;
        }

        @Override
        public int integerIn(String key, long dflt, int min, int max, String meaning) {
            long v = integer(key, dflt);
            if (v < min || v > max) {
                problems.add(error(key, "expected " + min + ".." + max + meaning + ", got " + v));
                failed = true;
                return (int) Math.max(min, Math.min(max, dflt));
            }
            return (int) v;
        }

        @Override
        public long durationNs(String key, long dflt) {
            return has(key) ? kept(dflt, () -> {
                long ns = PlanFile.this.duration(table, key, dflt, field(key));
                if (ns <= 0) throw error(key, "must be greater than 0");
                if (ns > MAX_DURATION_NS) throw error(key, "at most 1d, got " + Durations.format(ns));
                return ns;
            }) : dflt;
        }

        @Override
        public boolean bool(String key, boolean dflt) {
            if (!has(key)) return dflt;
            return kept(dflt, () -> {
                if (!(table.get(key) instanceof Boolean b)) throw error(key, "expected true or false, got " + InputText.describe(table.get(key)));
                return b;
            });
        }

        @Override
        public List<String> strings(String key, String expected) {
            return has(key) ? kept(List.of(), () -> PlanFile.this.strings(table, key, where, expected)) : List.of();
        }

        @Override
        public FormatException error(String key, String problem) {
            return PlanFile.this.error(table, key != null && has(key) ? key : null, key == null ? where : field(key), problem);
        }

        private <T> T kept(T dflt, Supplier<T> read) {
            try {
                return read.get();
            } catch (FormatException e) {
                problems.add(e);
                failed = true;
                return dflt;
            }
        }

        private String field(String key) {
            return where + "." + key;
        }
    }
}
