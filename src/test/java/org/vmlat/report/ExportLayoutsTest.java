package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.os.Executables;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * The exports people plot from: cyclictest's -h text read as gnuplot and OSADL's recipe read it,
 * the tidy bucket CSV and the per-thread CSV read back by a real CSV parser (Python's csv module)
 * with names that hold commas, quotes and line breaks.
 */
class ExportLayoutsTest {
    private static final Pattern BUCKET = Pattern.compile("\\d{6} \\d{6}(\\t\\d{6})*");
    /** A dimension value a plan may hold: comma, double quotes, a line break. */
    static final String HOSTILE = "stress, \"io\"\nheavy";

    static List<ScenarioRecord> scenarios() {
        List<ScenarioRecord> all = new ArrayList<>();
        all.add(ExportFormatsTest.scenarios().get(0));
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("target", "local");
        dims.put("load", HOSTILE);
        ThreadResult t = ExportFormatsTest.S2T0;
        all.add(new ScenarioRecord(12, 7, 1, dims, ScenarioStatus.DONE, null, 0, 0, 1, "p", "", Map.of(), List.of(), true,
                List.of(ThreadSummary.of(t))));
        return all;
    }

    static String export(String format, List<ScenarioRecord> scenarios) {
        return ExportFormats.named(format).write(ExportFormatsTest.run(), scenarios,
                sc -> List.of(sc.id() == 11 ? ExportFormatsTest.S1T0 : ExportFormatsTest.S2T0));
    }

    @Test
    void cyclictestHistogramLinesAreBucketsOrComments() {
        String text = export("cyclictest-hist", scenarios());
        // two gnuplot data sets, separated by two blank lines
        String[] sets = text.split("\n\n\n");
        assertThat(sets).hasSize(2);
        // OSADL's recipe: grep -v -e "^#" -e "^$"; every line left is a bucket row, and the counts add up
        long total = 0;
        for (String line : text.lines().toList()) {
            if (line.startsWith("#") || line.isEmpty()) continue;
            assertThat(line).matches(BUCKET);
            total += Long.parseLong(line.split(" ")[1]);
        }
        assertThat(total).isEqualTo(ExportFormatsTest.S1T0.count() + ExportFormatsTest.S2T0.count());
        // the samples 1000..2000 ns are buckets 1 and 2 (us); the line break in a dimension value stays in the comment
        assertThat(sets[0]).startsWith("# vmlat run 7 scenario 1 load=none target=local\n# Histogram\n000001 000003\n000002 000001\n");
        assertThat(sets[1]).startsWith("# vmlat run 7 scenario 2 load=stress, \"io\" heavy target=local\n");
        // one scenario is exactly the block cyclictest prints, no separator
        String one = export("cyclictest-hist", scenarios().subList(0, 1));
        assertThat(one).contains("# Max Latencies: 00002\n").endsWith("# Thread 0:\n\n").doesNotContain("\n\n\n");
    }

    @Test
    void cyclictestJsonTakesOneScenario() {
        assertThatThrownBy(() -> export("cyclictest-json", scenarios())).hasMessageContaining("pick one with --scenario N");
        String json = export("cyclictest-json", scenarios().subList(0, 1));
        assertThat(json).contains("\"rt_test_version:\": \"2.50\"").contains("\"histogram\": {\n        \"1\": 3,\n        \"2\": 1\n      }");
    }

    @Test
    void pythonsCsvModuleReadsBackEveryValue(@TempDir Path dir) throws Exception {
        String python = Executables.which("python3").map(Path::toString).orElse(null);
        assumeThat(python).as("python3 on PATH").isNotNull();
        for (String format : List.of("csv", "buckets")) {
            Path csv = dir.resolve(format + ".csv");
            Files.writeString(csv, export(format, scenarios()));
            List<List<String>> rows = pythonRows(python, csv);
            System.out.println(format + ": python's csv module read " + rows.size() + " rows of " + rows.get(0).size() + " fields");
            assertThat(rows.get(0).subList(0, 3)).containsExactly("scenario", "target", "load");
            for (List<String> r : rows) assertThat(r).hasSameSizeAs(rows.get(0));
            assertThat(rows).extracting(r -> r.get(2)).contains("none", HOSTILE);
        }
        List<List<String>> buckets = pythonRows(python, dir.resolve("buckets.csv"));
        // scenario 1: 1000, 1200, 1500, 2000 ns, each in its own 1 ns bucket below 2048 ns
        assertThat(buckets.get(1)).containsExactly("1", "local", "none", "0", "1", "1000", "1001", "1", "false");
        assertThat(buckets.stream().filter(r -> r.get(0).equals("2")).mapToLong(r -> Long.parseLong(r.get(7))).sum()).isEqualTo(2);
    }

    /** Every row as Python's csv module reads it, fields joined by the unit separator for transport. */
    private static List<List<String>> pythonRows(String python, Path csv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, "-c", "import csv,sys\n"
                + "for r in csv.reader(open(sys.argv[1], newline='')): sys.stdout.write('\\x1f'.join(r) + '\\x1e')", csv.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<List<String>> rows = new ArrayList<>();
        for (String r : out.split("\u001e")) if (!r.isEmpty()) rows.add(List.of(r.split("\u001f", -1)));
        return rows;
    }
}
