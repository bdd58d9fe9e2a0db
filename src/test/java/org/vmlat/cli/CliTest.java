package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {
    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path fixture(String name) throws Exception {
        return Path.of(CliTest.class.getResource("/org/vmlat/latency/" + name).toURI());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "measure -i 0 -D 1s | -i/--interval",
        "measure -p 100 -D 1s | -p/--priority: expected 1..99, got 100",
        "measure -a 64 -D 1s | -a/--affinity: CPU 64 does not exist",
        "measure -D 5parsecs | unknown unit \"parsecs\"",
        "measure --policy deadline -D 1s | --policy",
        "measure --probe cyclictest -D 1500ms | whole seconds",
        "measure -h 0 -D 1s | -h/--histogram",
    })
    void badOptionValuesAreUsageErrorsNamingTheOption(String args, String message) {
        Run r = run(args.trim().split(" "));
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(message);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void importPrintsWhatCyclictestPrinted() throws Exception {
        Run r = run("import", fixture("cyclictest-2.4/quiet-t2.txt").toString());
        assertThat(r.code()).isZero();
        // T: 0 ... C: 2999 Min: 11 Avg: 18 Max: 1416
        assertThat(r.out()).containsPattern("(?m)^0 +- +1000 +2999 +\\? +11\\.0 .* 1416\\.0 +18\\.0$");
    }

    @Test
    void importWritesVmlatJsonWithTheHistogram(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("r.json");
        Run r = run("import", fixture("cyclictest-2.10/json-t2-hist.json").toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("format").asText()).isEqualTo("vmlat-result");
        JsonNode t0 = root.get("threads").get(0);
        assertThat(t0.get("count").asLong()).isEqualTo(4000);
        assertThat(t0.get("min_ns").asLong()).isEqualTo(9000);
        assertThat(t0.get("max_ns").asLong()).isEqualTo(164000);
        byte[] hdr = Base64.getDecoder().decode(t0.get("histogram_hdr").asText());
        Histogram h = Histogram.decodeFromCompressedByteBuffer(java.nio.ByteBuffer.wrap(hdr), 0);
        assertThat(h.getTotalCount()).isEqualTo(3994);
    }

    @Test
    void importOfAMissingOrBrokenFileIsOneLine(@TempDir Path dir) throws Exception {
        Run missing = run("import", dir.resolve("nope.txt").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err()).contains("nope.txt: no such file");
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"thread\": {\"0\": {\"cycles\": \"x\"}}}");
        Run broken = run("import", bad.toString());
        assertThat(broken.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(broken.err()).contains("bad.json").contains("thread.0.cycles").doesNotContain("\tat ");
    }

    @Test
    void measureWritesJsonAndHlogAndReportsTheSettings(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("m.json"), hlog = dir.resolve("m.hlog");
        Run r = run("measure", "-D", "1200ms", "-i", "500us", "-p", "80", "-a", "0", "--warmup", "50ms",
                "--json", json.toString(), "--hlog", hlog.toString(), "-h", "300");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("SCHED_FIFO priority 80, interval 500us").contains("# Histogram").contains("# Max Latencies:");
        JsonNode root = new ObjectMapper().readTree(Files.readString(json));
        assertThat(root.get("settings").get("interval_ns").asText()).isEqualTo("500000");
        assertThat(root.get("system").get("kernel.release").asText()).isNotBlank();
        long count = root.get("threads").get(0).get("count").asLong() + root.get("threads").get(0).get("overruns").asLong();
        assertThat(count).isBetween(2390L, 2401L);
        // the interval log is readable by HdrHistogram's own reader and holds every sample
        var reader = new org.HdrHistogram.HistogramLogReader(hlog.toFile());
        long logged = 0;
        org.HdrHistogram.EncodableHistogram h;
        while ((h = reader.nextIntervalHistogram()) != null) logged += ((Histogram) h).getTotalCount();
        assertThat(logged).isEqualTo(root.get("threads").get(0).get("count").asLong());
    }

    @Test
    void breaktraceExitsWithThree() {
        Run r = run("measure", "-D", "5s", "-b", "1ns", "-q", "--warmup", "0");
        assertThat(r.code()).isEqualTo(ExitCodes.THRESHOLD);
        assertThat(r.out()).contains("Break trace: thread 0, cycle 0");
    }

    @Test
    void helpListsTheExitCodes() {
        Run r = run("measure", "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("3 threshold exceeded").contains("--histogram");
    }
}
