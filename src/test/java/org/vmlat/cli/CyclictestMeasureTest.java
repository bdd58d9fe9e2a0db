package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.vmlat.cli.CliTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code measure --probe cyclictest} with the installed cyclictest (skipped where there is none). */
class CyclictestMeasureTest {

    @BeforeEach
    void needsCyclictest() {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= Files.isExecutable(Path.of(dir, "cyclictest"));
        }
        assumeTrue(found, "cyclictest not installed");
    }

    /** cyclictest says only which thread broke and with which value: nothing else is printed. */
    @Test
    void breaktraceReportsWhatCyclictestSays(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        CliTest.Run r = run("measure", "--probe", "cyclictest", "-D", "5s", "-b", "1us", "-q", "--json", json.toString());
        assumeTrue(!r.err().contains("privileges") && r.code() != ExitCodes.ENVIRONMENT, "no real-time privileges");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.THRESHOLD);
        assertThat(r.out()).containsPattern("(?m)^Break trace: thread 0: latency \\d+\\.0 us > threshold 1\\.0 us$")
                .doesNotContain("cycle -1").doesNotContain("-1 ns");
        JsonNode b = new ObjectMapper().readTree(Files.readString(json)).get("breaktrace");
        assertThat(b.get("thread").asInt()).isZero();
        assertThat(b.get("latency_ns").asLong()).isGreaterThan(1000);
        assertThat(b.has("cycle")).isFalse();
        assertThat(b.has("expected_ns")).isFalse();
    }

    /** cyclictest keeps no intervals: the log holds the whole run, one interval per thread, and says so. */
    @Test
    void intervalLogHoldsTheWholeRun(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json"), hlog = dir.resolve("r.hlog");
        CliTest.Run r = run("measure", "--probe", "cyclictest", "-D", "1s", "-t", "2", "-q",
                "--json", json.toString(), "--hlog", hlog.toString());
        assumeTrue(r.code() != ExitCodes.ENVIRONMENT, "no real-time privileges");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).contains("no per-second intervals").contains(hlog.toString());
        JsonNode threads = new ObjectMapper().readTree(Files.readString(json)).get("threads");
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        long[] logged = new long[2];
        int intervals = 0;
        EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram()) != null) {
            intervals++;
            logged[Integer.parseInt(h.getTag().substring(1))] += ((AbstractHistogram) h).getTotalCount();
        }
        assertThat(intervals).isEqualTo(2);
        for (int t = 0; t < 2; t++) {
            JsonNode th = threads.get(t);
            assertThat(logged[t]).as("T%d", t).isEqualTo(th.get("count").asLong() - th.get("histogram_overflows").asLong())
                    .isPositive();
        }
    }
}
