package org.vmlat.arch;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The rooms of docs/architecture.md and which may use which, checked on the imports. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/org/vmlat");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(org\\.vmlat\\.(\\w+))", Pattern.MULTILINE);

    /** room -> rooms it may import (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("latency", Set.of()),
            Map.entry("os", Set.of("latency")),
            Map.entry("probe", Set.of("latency", "os")),
            Map.entry("load", Set.of("os")),
            Map.entry("targets", Set.of("probe", "load", "latency", "os")),
            Map.entry("lab", Set.of("targets", "store", "probe", "load", "latency", "os")),
            Map.entry("store", Set.of("latency")),
            Map.entry("stats", Set.of("latency")),
            Map.entry("report", Set.of("store", "stats", "latency", "sched")),
            Map.entry("sched", Set.of()),
            Map.entry("sim", Set.of("sched", "latency")),
            Map.entry("cli", Set.of("latency", "os", "probe", "load", "targets", "lab", "store", "stats", "report", "sched", "sim")));

    /** Pure rooms: no files, processes, native code or terminal. */
    private static final Set<String> PURE = Set.of("latency", "sched", "stats", "sim");
    private static final List<String> IMPURE = List.of("java.nio.file", "java.io.File", "com.sun.jna", "picocli",
            "java.sql", "ProcessBuilder", "System.out", "System.err");

    @Test
    void roomsOnlyUseWhatTheArchitectureAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String room = MAIN.relativize(f).getName(0).toString();
                assertThat(ALLOWED).as("room of %s is listed", f).containsKey(room);
                String src = Files.readString(f);
                Matcher m = IMPORT.matcher(src);
                while (m.find()) {
                    String used = m.group(2);
                    if (!used.equals(room) && !ALLOWED.get(room).contains(used)) violations.add(f + " uses " + used);
                }
                if (PURE.contains(room)) {
                    for (String bad : IMPURE) if (src.contains(bad)) violations.add(f + " (pure room) uses " + bad);
                }
            }
        }
        assertThat(violations).isEmpty();
    }
}
