package org.vmlat.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rooms of docs/architecture.md and which may use which, checked on the imports and on fully
 * qualified names written inline (org.vmlat.X.Y without an import is a use of room X too). All
 * violations are reported in one message, so one run shows the whole list.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/org/vmlat");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(org\\.vmlat\\.(\\w+))", Pattern.MULTILINE);
    private static final Pattern HEADER_LINE = Pattern.compile("^(?:package|import) [^;]*;", Pattern.MULTILINE);
    private static final Pattern INLINE = Pattern.compile("(?<![\\w.])org\\.vmlat\\.(\\w+)\\.");
    /** Comments and string or character literals, which name nothing the compiler resolves. */
    private static final Pattern NOT_CODE = Pattern.compile("//[^\\n]*|/\\*.*?\\*/|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'",
            Pattern.DOTALL);

    /** room -> rooms it may use (besides itself). */
    static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("latency", Set.of()),
            Map.entry("os", Set.of("latency")),
            Map.entry("probe", Set.of("latency", "os")),
            Map.entry("load", Set.of("os")),
            Map.entry("targets", Set.of("probe", "load", "latency", "os", "sched", "taskset")),
            Map.entry("lab", Set.of("targets", "store", "probe", "load", "latency", "os", "explain")),
            Map.entry("explain", Set.of("latency", "os")),
            Map.entry("store", Set.of("latency")),
            Map.entry("stats", Set.of("latency")),
            Map.entry("report", Set.of("store", "stats", "latency", "sched", "explain")),
            Map.entry("sched", Set.of()),
            Map.entry("taskset", Set.of("sched", "latency")),
            Map.entry("sim", Set.of("sched", "latency")),
            Map.entry("cli", Set.of("latency", "os", "probe", "load", "targets", "lab", "store", "stats", "report", "sched", "taskset", "sim", "explain")));

    /** Pure rooms: no files, processes, native code or terminal. */
    private static final Set<String> PURE = Set.of("latency", "sched", "stats", "sim");
    private static final List<String> IMPURE = List.of("java.nio.file", "java.io.File", "com.sun.jna", "picocli",
            "java.sql", "ProcessBuilder", "System.out", "System.err");
    /** Only the commands talk to the terminal; every other room hands text or events to them. */
    private static final List<String> TERMINAL = List.of("System.out", "System.err");

    @Test
    void roomsOnlyUseWhatTheArchitectureAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java")).sorted()::iterator) {
                violations.addAll(violations(f, Files.readString(f)));
            }
        }
        if (!violations.isEmpty()) fail(violations.size() + " violations of docs/architecture.md:\n  " + String.join("\n  ", violations));
    }

    @Test
    void inlineNamesAndTerminalOutputAreFound() {
        String src = """
                package org.vmlat.report;

                import org.vmlat.store.ScenarioRecord;

                /** Mentions org.vmlat.cli.Vmlat in a comment only. */
                final class X {
                    String s = "org.vmlat.cli.Vmlat";
                    org.vmlat.lab.Plan plan;
                    org.vmlat.report.Table table;
                    void p() { System.out.println(s); }
                }
                """;
        assertThat(violations(MAIN.resolve("report/X.java"), src)).containsExactly(
                "src/main/java/org/vmlat/report/X.java uses lab (inline org.vmlat.lab.)",
                "src/main/java/org/vmlat/report/X.java: inline fully qualified org.vmlat.lab. (use an import)",
                "src/main/java/org/vmlat/report/X.java: inline fully qualified org.vmlat.report. (use an import)",
                "src/main/java/org/vmlat/report/X.java prints (System.out): only cli talks to the terminal");
    }

    static List<String> violations(Path f, String src) {
        List<String> out = new ArrayList<>();
        String room = MAIN.relativize(f).getName(0).toString();
        if (!ALLOWED.containsKey(room)) return List.of(f + ": room \"" + room + "\" is not listed in docs/architecture.md");
        Matcher m = IMPORT.matcher(src);
        while (m.find()) {
            String used = m.group(2);
            if (!used.equals(room) && !ALLOWED.get(room).contains(used)) out.add(f + " uses " + used);
        }
        String code = HEADER_LINE.matcher(NOT_CODE.matcher(src).replaceAll(" ")).replaceAll("");
        List<String> inline = new ArrayList<>();
        Matcher q = INLINE.matcher(code);
        while (q.find()) {
            String used = q.group(1);
            if (inline.contains(used)) continue;
            inline.add(used);
            if (!used.equals(room) && !ALLOWED.get(room).contains(used)) out.add(f + " uses " + used + " (inline org.vmlat." + used + ".)");
        }
        for (String used : inline) out.add(f + ": inline fully qualified org.vmlat." + used + ". (use an import)");
        if (PURE.contains(room)) {
            for (String bad : IMPURE) if (src.contains(bad)) out.add(f + " (pure room) uses " + bad);
        } else if (!room.equals("cli")) {
            for (String bad : TERMINAL) if (code.contains(bad)) out.add(f + " prints (" + bad + "): only cli talks to the terminal");
        }
        return out;
    }
}
