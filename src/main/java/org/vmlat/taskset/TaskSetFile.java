package org.vmlat.taskset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
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
import org.vmlat.latency.InputText;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

/**
 * Reads a task-set file (TOML, see docs/analysis.md). Every error names the file, the line and
 * the field, e.g. {@code tasks.toml:7: task[2].wcet: expected a duration with a unit like "1ms"}.
 */
public final class TaskSetFile {
    private static final Set<String> TASK_KEYS = Set.of("name", "wcet", "period", "deadline", "jitter", "blocking", "priority", "vm");
    private static final Set<String> VM_KEYS = Set.of("name", "period", "deadline");

    /** Per-VM server settings from optional {@code [[vm]]} tables (empty values: use the command line). */
    public record VmSettings(String name, long periodNs, long deadlineNs, long line) {}

    /** The tasks in file order, whether any named a priority, and the VM settings. */
    public record Contents(List<Task> tasks, boolean explicitPriorities, Map<String, VmSettings> vms, String source) {
        /** Tasks in priority order: given priorities (ties by file order), else deadline-monotonic. */
        public TaskSet taskSet() {
            return explicitPriorities ? TaskSet.byPriority(tasks) : TaskSet.deadlineMonotonic(tasks);
        }

        /** Task sets per VM ("" when tasks name none). */
        public Map<String, TaskSet> byVm() {
            Map<String, List<Task>> groups = new LinkedHashMap<>();
            for (Task t : tasks) groups.computeIfAbsent(t.vm(), k -> new ArrayList<>()).add(t);
            Map<String, TaskSet> out = new LinkedHashMap<>();
            groups.forEach((vm, list) -> out.put(vm, explicitPriorities ? TaskSet.byPriority(list) : TaskSet.deadlineMonotonic(list)));
            return out;
        }
    }

    /** Bounds far beyond real task sets that keep the analyses' exact sums from overflowing. */
    private static final long MAX_NS = 86_400_000_000_000L, MAX_BYTES = 1 << 20;

    private TaskSetFile() {}

    public static Contents read(Path file) {
        String text;
        try {
            if (Files.isDirectory(file)) throw new FormatException(file.toString(), 0, null, "is a directory, not a task-set file");
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) throw new FormatException(file.toString(), 0, null, "is larger than " + MAX_BYTES + " bytes");
            text = InputText.utf8(file.toString(), Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new FormatException(file.toString(), 0, null, "no such file");
        } catch (IOException e) {
            throw new FormatException(file.toString(), 0, null, "cannot read: " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static Contents parse(String source, String text) {
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
        List<FormatException> problems = new ArrayList<>();
        for (String key : toml.keySet()) {
            if (!key.equals("task") && !key.equals("vm")) {
                throw new FormatException(source, line(toml, key), key, "unknown key (expected [[task]] or [[vm]] tables)");
            }
        }
        TomlArray tasks = array(source, toml, "task");
        if (tasks == null || tasks.isEmpty()) throw new FormatException(source, 0, "task", "no [[task]] tables");
        List<Task> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean anyPriority = false;
        for (int i = 0; i < tasks.size(); i++) {
          try {
            TomlTable t = table(source, toml, tasks, "task", i);
            String where = "task[" + (i + 1) + "]";
            for (String key : t.keySet()) {
                if (!TASK_KEYS.contains(key)) throw new FormatException(source, line(t, key), where + "." + key, "unknown field (known: " + String.join(", ", new TreeSet<>(TASK_KEYS)) + ")");
            }
            String name = string(source, t, "name", where, null);
            if (name == null) throw new FormatException(source, pos(tasks, i), where + ".name", "missing");
            if (!names.add(name)) throw new FormatException(source, line(t, "name"), where + ".name", "duplicate task name \"" + name + "\"");
            where = "task \"" + name + "\"";
            long wcet = duration(source, t, "wcet", where, -1);
            long period = duration(source, t, "period", where, -1);
            if (wcet < 0) throw new FormatException(source, pos(tasks, i), where + ".wcet", "missing");
            if (period < 0) throw new FormatException(source, pos(tasks, i), where + ".period", "missing");
            if (wcet == 0) throw new FormatException(source, line(t, "wcet"), where + ".wcet", "must be greater than 0");
            if (period == 0) throw new FormatException(source, line(t, "period"), where + ".period", "must be greater than 0");
            long deadline = duration(source, t, "deadline", where, period);
            if (deadline == 0) throw new FormatException(source, line(t, "deadline"), where + ".deadline", "must be greater than 0");
            if (wcet > deadline) throw new FormatException(source, line(t, "wcet"), where + ".wcet", Durations.format(wcet) + " exceeds the deadline " + Durations.format(deadline));
            long jitter = duration(source, t, "jitter", where, 0);
            long blocking = duration(source, t, "blocking", where, 0);
            int priority = 0;
            if (t.contains("priority")) {
                Object p = t.get("priority");
                if (!(p instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                    throw new FormatException(source, line(t, "priority"), where + ".priority", "expected a non-negative integer (smaller = higher), got " + InputText.describe(p));
                }
                priority = (int) (long) l;
                anyPriority = true;
            }
            String vm = string(source, t, "vm", where, "");
            out.add(new Task(name, wcet, period, deadline, jitter, blocking, priority, vm));
          } catch (FormatException e) {
            problems.add(e); // every task is read, so one try shows the problems of all
          }
        }
        if (!problems.isEmpty()) throw FormatException.all(problems);
        if (anyPriority) {
            for (int i = 0; i < tasks.size(); i++) {
                if (!tasks.getTable(i).contains("priority") && i < out.size()) {
                    throw new FormatException(source, pos(tasks, i), "task \"" + out.get(i).name() + "\".priority",
                            "missing: give every task a priority, or none (deadline-monotonic)");
                }
            }
        }
        // one CPU per VM (tasks naming no VM share one): several VMs may add up to more than 1
        Map<String, List<Task>> perVm = new LinkedHashMap<>();
        for (Task k : out) perVm.computeIfAbsent(k.vm(), v -> new ArrayList<>()).add(k);
        for (var e : perVm.entrySet()) {
            TaskSet group = new TaskSet(e.getValue());
            if (!group.utilisationAtMost(1, 1)) {
                throw new FormatException(source, 0, "task", String.format(Locale.ROOT, "total utilisation %.3f exceeds 1%s: no scheduler can meet these deadlines on one CPU",
                        group.utilisation(), e.getKey().isEmpty() ? "" : " in VM \"" + e.getKey() + "\""));
            }
        }
        Map<String, VmSettings> vms = new LinkedHashMap<>();
        TomlArray vmArray = array(source, toml, "vm");
        if (vmArray != null) {
            for (int i = 0; i < vmArray.size(); i++) {
                TomlTable v = table(source, toml, vmArray, "vm", i);
                String where = "vm[" + (i + 1) + "]";
                for (String key : v.keySet()) {
                    if (!VM_KEYS.contains(key)) throw new FormatException(source, line(v, key), where + "." + key, "unknown field (known: deadline, name, period)");
                }
                String name = string(source, v, "name", where, null);
                if (name == null) throw new FormatException(source, pos(vmArray, i), where + ".name", "missing");
                where = "vm \"" + name + "\"";
                if (!perVm.containsKey(name)) throw new FormatException(source, line(v, "name"), where + ".name", "no task names this VM (tasks name: " + perVm.keySet() + ")");
                long p = duration(source, v, "period", where, -1);
                if (p == 0) throw new FormatException(source, line(v, "period"), where + ".period", "must be greater than 0 (leave it out to take --period)");
                long d = duration(source, v, "deadline", where, p);
                if (d == 0) throw new FormatException(source, line(v, "deadline"), where + ".deadline", "must be greater than 0");
                if (v.contains("deadline") && p < 0) throw new FormatException(source, line(v, "deadline"), where + ".deadline", "needs a period in the same table");
                if (p > 0 && d > p) throw new FormatException(source, line(v, "deadline"), where + ".deadline", Durations.format(d) + " is above the period " + Durations.format(p));
                if (vms.put(name, new VmSettings(name, Math.max(0, p), Math.max(0, d), pos(vmArray, i))) != null) {
                    throw new FormatException(source, line(v, "name"), where + ".name", "duplicate VM \"" + name + "\"");
                }
            }
        }
        return new Contents(out, anyPriority, vms, source);
    }

    private static TomlArray array(String source, TomlTable toml, String key) {
        if (!toml.contains(key)) return null;
        if (!toml.isArray(key)) throw new FormatException(source, line(toml, key), key, "expected [[" + key + "]] tables");
        return toml.getArray(key);
    }

    private static TomlTable table(String source, TomlTable toml, TomlArray arr, String key, int i) {
        Object o = arr.get(i);
        if (!(o instanceof TomlTable t)) throw new FormatException(source, line(toml, key), key, "expected [[" + key + "]] tables");
        return t;
    }

    private static String string(String source, TomlTable t, String key, String where, String dflt) {
        if (!t.contains(key)) return dflt;
        Object v = t.get(key);
        if (!(v instanceof String s) || s.isBlank()) throw new FormatException(source, line(t, key), where + "." + key, "expected a non-empty string, got " + InputText.describe(v));
        String c = InputText.firstControl(s);
        if (c != null) throw new FormatException(source, line(t, key), where + "." + key, "contains the control character " + c + " (names are shown on terminals)");
        return s;
    }

    private static long duration(String source, TomlTable t, String key, String where, long dflt) {
        if (!t.contains(key)) return dflt;
        Object v = t.get(key);
        if (!(v instanceof String s)) {
            throw new FormatException(source, line(t, key), where + "." + key, "expected a duration with a unit like \"1ms\", got " + InputText.describe(v));
        }
        if (s.strip().matches("\\d+(\\.\\d+)?")) {
            throw new FormatException(source, line(t, key), where + "." + key, "\"" + s + "\" needs a unit (ns, us, ms, s)");
        }
        try {
            long ns = Durations.parseNs(s, Durations.Unit.NS);
            if (ns > MAX_NS) throw new FormatException(source, line(t, key), where + "." + key, "at most 1d, got " + Durations.format(ns));
            return ns;
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, line(t, key), where + "." + key, e.getMessage());
        }
    }

    private static long line(TomlTable t, String key) {
        TomlPosition p = t.inputPositionOf(key);
        return p == null ? 0 : p.line();
    }

    private static long pos(TomlArray arr, int i) {
        TomlPosition p = arr.inputPositionOf(i);
        return p == null ? 0 : p.line();
    }
}
