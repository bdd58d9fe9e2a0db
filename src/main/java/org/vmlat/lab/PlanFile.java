package org.vmlat.lab;

import java.util.ArrayList;
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

/**
 * Reads a lab plan (TOML, docs/lab.md). Everything is checked before anything runs; errors name
 * the file, the line and the key: {@code plan.toml:14: matrix.interval[2]: unknown unit "parsecs"}.
 */
public final class PlanFile {
    private static final Set<String> TOP = Set.of("name", "duration", "warmup", "repetitions", "timeout", "matrix", "probe", "target", "load", "exclude");
    private static final Set<String> MATRIX = Set.of("target", "probe", "interval", "load", "priority", "kernel", "mode", "dm_priority", "scheduler");
    private static final Set<String> PROBE = Set.of("threads", "affinity", "policy", "histogram");
    private static final Set<String> TARGET = Set.of("name", "kind", "kernel", "vcpus", "memory", "accel", "pin", "vcpu_priority",
            "qemu_priority", "qemu_args", "boot_timeout", "dom0", "host", "port", "user", "identity", "known_hosts", "check_host_key", "mode",
            "dm_priority", "scheduler", "cpuid", "xl_extra");
    private static final Set<String> QEMU_KEYS = Set.of("name", "kind", "kernel", "vcpus", "memory", "accel", "pin", "vcpu_priority", "qemu_priority",
            "qemu_args", "boot_timeout");
    private static final Set<String> XEN_KEYS = Set.of("name", "kind", "kernel", "vcpus", "memory", "pin", "boot_timeout", "dom0", "host", "port", "user",
            "identity", "known_hosts", "check_host_key", "mode", "dm_priority", "scheduler", "cpuid", "xl_extra");
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

        // targets
        Map<String, Plan.TargetSpec> targets = new LinkedHashMap<>();
        for (TomlTable t : tables(toml, "target")) {
            unknownKeys(t, TARGET, "target");
            String tn = string(t, "name", null, "target.name");
            if (tn == null) throw error(t, null, "target.name", "missing");
            String kind = string(t, "kind", "local", "target.kind");
            String where = "target \"" + tn + "\"";
            org.vmlat.targets.qemu.QemuSettings qemu = null;
            org.vmlat.targets.xen.XenSettings xen = null;
            if (kind.equals("qemu")) {
                onlyKeys(t, QEMU_KEYS, where, "qemu");
                qemu = qemuSettings(t, where, onlineCpus);
            } else if (kind.equals("xen")) {
                onlyKeys(t, XEN_KEYS, where, "xen");
                xen = xenSettings(t, where);
            } else if (!kind.equals("local")) {
                throw error(t, "kind", where + ".kind", "\"" + kind + "\" is not supported yet (local, qemu, xen; ssh and libvirt targets come with later versions)");
            } else {
                for (String k : t.keySet()) {
                    if (!k.equals("name") && !k.equals("kind")) throw error(t, k, where + "." + k, "applies to qemu or xen targets only");
                }
            }
            if (targets.put(tn, new Plan.TargetSpec(tn, kind, qemu, xen)) != null) throw error(t, "name", "target.name", "duplicate target \"" + tn + "\"");
        }
        if (targets.isEmpty()) targets.put("host", new Plan.TargetSpec("host", "local", null, null));

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
        unknownKeys(m, MATRIX, "matrix");
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
        boolean anyGuest = targets.values().stream().anyMatch(t -> !t.kind().equals("local"));
        boolean anyXen = targets.values().stream().anyMatch(t -> t.kind().equals("xen"));
        if (m.contains("kernel")) {
            if (!anyGuest) throw error(m, "kernel", "matrix.kernel", "applies to qemu and xen targets; this plan has none");
            dims.put("kernel", values(m, "kernel", null, v -> v));
        }
        if (m.contains("mode")) {
            if (!anyXen) throw error(m, "mode", "matrix.mode", "applies to xen targets; this plan has none");
            dims.put("mode", values(m, "mode", null, v -> {
                if (!org.vmlat.targets.xen.XenSettings.MODES.contains(v)) throw new IllegalArgumentException("expected pv, pvh or hvm, got \"" + v + "\"");
                return v;
            }));
        }
        if (m.contains("dm_priority")) {
            if (!anyXen) throw error(m, "dm_priority", "matrix.dm_priority", "applies to xen targets; this plan has none");
            dims.put("dm_priority", values(m, "dm_priority", null, v -> {
                int p = Integer.parseInt(v);
                if (p < 0 || p > 99) throw new IllegalArgumentException("expected 0..99 (0 = leave the device model as it is), got " + p);
                return Integer.toString(p);
            }));
        }
        if (m.contains("scheduler")) {
            if (!anyXen) throw error(m, "scheduler", "matrix.scheduler", "applies to xen targets; this plan has none");
            dims.put("scheduler", values(m, "scheduler", null, v -> {
                if (!v.equals("pool0") && !org.vmlat.targets.xen.XenSettings.SCHEDULERS.contains(v)) {
                    throw new IllegalArgumentException("expected pool0 (Pool-0 as it is) or one of " + org.vmlat.targets.xen.XenSettings.SCHEDULERS + ", got \"" + v + "\"");
                }
                return v;
            }));
            for (Plan.TargetSpec t : targets.values()) {
                if (t.xen() != null && t.xen().pin().isEmpty() && dims.get("scheduler").stream().anyMatch(v -> !v.equals("pool0"))) {
                    throw error(m, "scheduler", "matrix.scheduler", "target \"" + t.name() + "\" has no pin: a scheduler's cpupool takes the pinned CPUs from Pool-0");
                }
            }
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
            unknownKeys(ex, Set.of("target", "probe", "interval", "load", "priority", "repetition", "kernel", "mode", "dm_priority", "scheduler"), "exclude");
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

    private org.vmlat.targets.qemu.QemuSettings qemuSettings(TomlTable t, String where, List<Integer> onlineCpus) {
        String kernel = string(t, "kernel", null, where + ".kernel");
        if (kernel == null) throw error(t, null, where + ".kernel", "missing (nrt, rt or a path to a kernel)");
        long vcpus = integer(t, "vcpus", 1, where + ".vcpus");
        if (vcpus < 1 || vcpus > 64) throw error(t, "vcpus", where + ".vcpus", "expected 1..64, got " + vcpus);
        long memory = integer(t, "memory", 256, where + ".memory");
        if (memory < 64 || memory > 65536) throw error(t, "memory", where + ".memory", "expected 64..65536 (MiB), got " + memory);
        String accel = string(t, "accel", "auto", where + ".accel");
        if (!Set.of("auto", "kvm", "tcg").contains(accel)) throw error(t, "accel", where + ".accel", "expected auto, kvm or tcg, got \"" + accel + "\"");
        List<Integer> pin;
        try {
            pin = CpuList.parse(string(t, "pin", "", where + ".pin"));
        } catch (IllegalArgumentException e) {
            throw error(t, "pin", where + ".pin", e.getMessage());
        }
        for (int c : pin) if (!onlineCpus.isEmpty() && !onlineCpus.contains(c)) throw error(t, "pin", where + ".pin", "CPU " + c + " is not online");
        long vp = integer(t, "vcpu_priority", 0, where + ".vcpu_priority");
        long qp = integer(t, "qemu_priority", 0, where + ".qemu_priority");
        if (vp < 0 || vp > 99) throw error(t, "vcpu_priority", where + ".vcpu_priority", "expected 0..99 (0 = normal), got " + vp);
        if (qp < 0 || qp > 99) throw error(t, "qemu_priority", where + ".qemu_priority", "expected 0..99 (0 = normal), got " + qp);
        List<String> extra = strings(t, "qemu_args", where, "an array of strings");
        long boot = duration(t, "boot_timeout", 60_000_000_000L, where + ".boot_timeout");
        return new org.vmlat.targets.qemu.QemuSettings(kernel, (int) vcpus, (int) memory, accel, pin, (int) vp, (int) qp, extra, boot);
    }

    private void onlyKeys(TomlTable t, Set<String> allowed, String where, String kind) {
        for (String k : t.keySet()) {
            if (!allowed.contains(k)) throw error(t, k, where + "." + k, "does not apply to " + kind + " targets (they take: " + String.join(", ", new TreeSet<>(allowed)) + ")");
        }
    }

    private org.vmlat.targets.xen.XenSettings xenSettings(TomlTable t, String where) {
        String dom0 = string(t, "dom0", "", where + ".dom0");
        org.vmlat.targets.ssh.SshSettings ssh = null;
        if (dom0.equals("emulated")) {
            for (String k : List.of("host", "port", "user", "identity", "known_hosts", "check_host_key")) {
                if (t.contains(k)) throw error(t, k, where + "." + k, "dom0 = \"emulated\" is reached as vmlat xen up set it up; leave " + k + " out");
            }
        } else if (!dom0.isEmpty()) {
            throw error(t, "dom0", where + ".dom0", "expected \"emulated\" (the Xen of vmlat xen up) or nothing (then host = ... names the Dom0)");
        } else {
            String host = string(t, "host", null, where + ".host");
            if (host == null) throw error(t, null, where + ".host", "missing: the Dom0 to reach over SSH (or dom0 = \"emulated\")");
            long port = integer(t, "port", 22, where + ".port");
            if (port < 1 || port > 65535) throw error(t, "port", where + ".port", "expected 1..65535, got " + port);
            String user = string(t, "user", "root", where + ".user");
            String id = string(t, "identity", null, where + ".identity");
            String kh = string(t, "known_hosts", null, where + ".known_hosts");
            boolean check = true;
            if (t.contains("check_host_key")) {
                if (!(t.get("check_host_key") instanceof Boolean b)) throw error(t, "check_host_key", where + ".check_host_key", "expected true or false");
                check = b;
            }
            ssh = new org.vmlat.targets.ssh.SshSettings(host, (int) port, user, id == null ? null : java.nio.file.Path.of(home(id)),
                    kh == null ? null : java.nio.file.Path.of(home(kh)), check);
        }
        String mode = string(t, "mode", "pv", where + ".mode");
        if (!org.vmlat.targets.xen.XenSettings.MODES.contains(mode)) throw error(t, "mode", where + ".mode", "expected pv, pvh or hvm, got \"" + mode + "\"");
        String kernel = string(t, "kernel", "nrt", where + ".kernel");
        long vcpus = integer(t, "vcpus", 1, where + ".vcpus");
        if (vcpus < 1 || vcpus > 64) throw error(t, "vcpus", where + ".vcpus", "expected 1..64, got " + vcpus);
        long memory = integer(t, "memory", 256, where + ".memory");
        if (memory < 64 || memory > 65536) throw error(t, "memory", where + ".memory", "expected 64..65536 (MiB), got " + memory);
        List<Integer> pin;
        try {
            pin = CpuList.parse(string(t, "pin", "", where + ".pin"));
        } catch (IllegalArgumentException e) {
            throw error(t, "pin", where + ".pin", e.getMessage());
        }
        long dm = integer(t, "dm_priority", 0, where + ".dm_priority");
        if (dm < 0 || dm > 99) throw error(t, "dm_priority", where + ".dm_priority", "expected 0..99 (0 = leave the device model as it is), got " + dm);
        String sched = org.vmlat.targets.xen.XenSettings.schedulerValue(string(t, "scheduler", "", where + ".scheduler"));
        if (!sched.isEmpty() && !org.vmlat.targets.xen.XenSettings.SCHEDULERS.contains(sched)) {
            throw error(t, "scheduler", where + ".scheduler", "expected \"\" (Pool-0 as it is) or one of " + org.vmlat.targets.xen.XenSettings.SCHEDULERS);
        }
        if (!sched.isEmpty() && pin.isEmpty()) throw error(t, "scheduler", where + ".scheduler", "needs pin: the CPUs the cpupool takes from Pool-0");
        String cpuid = string(t, "cpuid", "", where + ".cpuid");
        List<String> extra = strings(t, "xl_extra", where, "an array of xl configuration lines, e.g. [\"cpu_weight = 512\"]");
        long boot = duration(t, "boot_timeout", 180_000_000_000L, where + ".boot_timeout");
        try {
            return new org.vmlat.targets.xen.XenSettings(ssh, dom0.equals("emulated"), mode, kernel, (int) vcpus, (int) memory, pin, (int) dm, sched,
                    cpuid, extra, boot);
        } catch (IllegalArgumentException e) {
            throw error(t, null, where, e.getMessage());
        }
    }

    private static String home(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
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
}
