package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmlat.cli.CliTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code measure -h} prints what cyclictest -h -q prints: bucket rows and comment lines only, so
 * the gnuplot recipe {@code grep -v '^#'} keeps exactly the buckets (the summary table, the
 * result lines and the gate's lines are comments).
 */
class MeasureHistogramCliTest {
    private static final Pattern BUCKET = Pattern.compile("\\d{6} \\d{6}\\t\\d{6}");

    @Test
    void everyLineBesideTheBucketsIsAComment(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("m.json");
        CliTest.Run r = run("measure", "-D", "1s", "-i", "500us", "-t", "2", "-h", "100", "-q", "--warmup", "0",
                "--json", json.toString(), "--limit", "max=1h");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> kept = r.out().lines().filter(l -> !l.startsWith("#")).filter(l -> !l.isEmpty()).toList();
        long[] inBuckets = new long[2];
        for (String l : kept) {
            assertThat(l).as("a line grep -v '^#' keeps").matches(BUCKET);
            String[] f = l.split("[ \\t]");
            inBuckets[0] += Long.parseLong(f[1]);
            inBuckets[1] += Long.parseLong(f[2]);
        }
        // the summary table, the worst wake-ups, the result file and the gate are still printed, as comments
        assertThat(r.out()).contains("\n# T  CPU").contains("\n# Result written to ").contains("\n# Limits: 1 of 1 passed");
        String overflowLine = r.out().lines().filter(l -> l.startsWith("# Histogram Overflows:")).findFirst().orElseThrow();
        String[] o = overflowLine.substring("# Histogram Overflows:".length()).strip().split(" ");
        JsonNode threads = new ObjectMapper().readTree(Files.readString(json)).get("threads");
        for (int t = 0; t < 2; t++) {
            // every sample is in a bucket or an overflow
            assertThat(inBuckets[t] + Long.parseLong(o[t])).isEqualTo(threads.get(t).get("count").asLong());
        }
        System.out.printf("measure -h: %d bucket rows, %d + %d samples in buckets, overflows %s%n", kept.size(), inBuckets[0], inBuckets[1],
                String.join("/", o));
    }
}
