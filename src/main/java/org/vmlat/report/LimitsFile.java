package org.vmlat.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tomlj.Toml;
import org.tomlj.TomlArray;
import org.tomlj.TomlParseError;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;
import org.tomlj.TomlTable;
import org.vmlat.latency.FormatException;

/**
 * Reads the {@code [[limit]]} tables of a TOML file: a limits file for {@code vmlat report --limits}
 * or a lab plan (other top-level keys are left to the plan's reader). Each table:
 * <pre>
 * [[limit]]
 * metric = "p99.9"             # max, p50, p90, p99, p99.9, p99.99, mean or missed
 * value = "20us"               # a duration (bare numbers are us); for missed a count or "0.1%"
 * where = { load = "none" }    # optional: only scenarios with these dimension values
 * </pre>
 * Every problem is reported at once, each as {@code file:line: limit[i].field: problem}.
 */
public final class LimitsFile {
    private static final Set<String> KEYS = Set.of("metric", "value", "where");

    private LimitsFile() {}

    /** The limits of a file holding only [[limit]] tables. */
    public static List<Limit> parse(String source, String text) {
        TomlParseResult toml = toml(source, text);
        List<FormatException> problems = new ArrayList<>();
        for (String k : toml.keySet()) {
            if (!k.equals("limit")) problems.add(at(source, toml.inputPositionOf(k), k, "unknown key (a limits file holds [[limit]] tables)"));
        }
        List<Limit> limits = read(source, toml, problems);
        if (!problems.isEmpty()) throw FormatException.all(problems);
        return limits;
    }

    /** The [[limit]] tables of a file that may hold other keys too (a lab plan); none when absent. */
    public static List<Limit> parseWithin(String source, String text) {
        List<FormatException> problems = new ArrayList<>();
        List<Limit> limits = read(source, toml(source, text), problems);
        if (!problems.isEmpty()) throw FormatException.all(problems);
        return limits;
    }

    private static TomlParseResult toml(String source, String text) {
        TomlParseResult toml = Toml.parse(text);
        if (toml.hasErrors()) {
            List<FormatException> syntax = new ArrayList<>();
            for (TomlParseError e : toml.errors()) syntax.add(at(source, e.position(), null, "TOML syntax: " + e.getMessage()));
            throw FormatException.all(syntax);
        }
        return toml;
    }

    private static List<Limit> read(String source, TomlTable toml, List<FormatException> problems) {
        List<Limit> limits = new ArrayList<>();
        if (!toml.contains("limit")) return limits;
        if (!toml.isArray("limit") || !allTables(toml.getArray("limit"))) {
            problems.add(at(source, toml.inputPositionOf("limit"), "limit", "expected [[limit]] tables"));
            return limits;
        }
        TomlArray array = toml.getArray("limit");
        for (int i = 0; i < array.size(); i++) {
            TomlTable t = array.getTable(i);
            String field = "limit[" + (i + 1) + "]";
            for (String k : t.keySet()) {
                if (!KEYS.contains(k)) problems.add(at(source, t.inputPositionOf(k), field + "." + k, "unknown key (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")"));
            }
            String metric = text(source, t, "metric", field, problems);
            String value = text(source, t, "value", field, problems);
            Map<String, String> where = new LinkedHashMap<>();
            if (t.contains("where")) {
                if (!t.isTable("where")) {
                    problems.add(at(source, t.inputPositionOf("where"), field + ".where", "expected a table of dimension values, e.g. { load = \"none\" }"));
                } else {
                    TomlTable w = t.getTable("where");
                    for (String d : w.keySet()) {
                        Object v = w.get(d);
                        if (v instanceof String || v instanceof Long) where.put(d, v.toString());
                        else problems.add(at(source, w.inputPositionOf(d), field + ".where." + d, "expected a string or an integer"));
                    }
                }
            }
            if (metric == null || value == null) continue;
            try {
                limits.add(Limit.of(metric, value, where));
            } catch (IllegalArgumentException e) {
                boolean metricWrong = e.getMessage().startsWith("unknown metric");
                String key = metricWrong ? "metric" : "value";
                problems.add(at(source, t.inputPositionOf(key), field + "." + key, e.getMessage()));
            }
        }
        return limits;
    }

    /** A string or a number, as written; null (and a problem) when missing or of another type. */
    private static String text(String source, TomlTable t, String key, String field, List<FormatException> problems) {
        Object v = t.get(key);
        if (v instanceof String s) return s;
        if (v instanceof Long || v instanceof Double) return v.toString();
        TomlPosition p = v == null ? first(t) : t.inputPositionOf(key);
        problems.add(at(source, p, field + "." + key, v == null ? "missing" : "expected a string such as \"40us\""));
        return null;
    }

    private static boolean allTables(TomlArray a) {
        for (int i = 0; i < a.size(); i++) if (!(a.get(i) instanceof TomlTable)) return false;
        return true;
    }

    private static TomlPosition first(TomlTable t) {
        TomlPosition best = null;
        for (String k : t.keySet()) {
            TomlPosition p = t.inputPositionOf(k);
            if (p != null && (best == null || p.line() < best.line())) best = p;
        }
        return best;
    }

    private static FormatException at(String source, TomlPosition p, String field, String problem) {
        return new FormatException(source, p == null ? 0 : p.line(), field, problem);
    }
}
