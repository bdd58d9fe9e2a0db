package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.RunStatus;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * The run exports against golden files, in Locale.ROOT and in locales that write numbers
 * differently (decimal comma, Thai digits): exports are files for programs, never localised.
 * The fixture's latencies are below 2048 ns, where HdrHistogram holds every value exactly, so the
 * figures in the golden CSV can be checked by hand: scenario 1 recorded 1000, 1200, 1500 and
 * 2000 ns (mean 1425, p50 the 2nd sample, p90 and above the 4th); scenario 2 recorded 1100 and
 * 1900 ns with one overrun (mean 1500).
 */
class ExportFormatsTest {
    static final long START_MS = 1_700_000_000_000L;
    private Locale locale;
    private TimeZone zone;

    @BeforeEach
    void save() {
        locale = Locale.getDefault();
        zone = TimeZone.getDefault();
        // HdrHistogram writes the start time's date in the JVM's zone
        TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    }

    @AfterEach
    void restore() {
        Locale.setDefault(locale);
        TimeZone.setDefault(zone);
    }

    static ThreadResult thread(int thread, int cpu, long overruns, long... samplesNs) {
        Histogram h = LatencyHistograms.create();
        long sum = 0, min = Long.MAX_VALUE, max = 0;
        for (long v : samplesNs) {
            h.recordValue(v);
            sum += v;
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new ThreadResult(thread, cpu, 1_000_000, 1, samplesNs.length, min, max, sum, overruns, 0, h, List.of());
    }

    static final ThreadResult S1T0 = thread(0, 1, 0, 1000, 1200, 1500, 2000);
    static final ThreadResult S2T0 = thread(0, 2, 1, 1100, 1900);

    static RunRecord run() {
        return new RunRecord(7, "golden", "plan.toml", "name = \"golden\"\n", RunStatus.DONE, START_MS, START_MS + 60_000,
                Map.of("kernel.release", "6.1.0"), Map.of("cyclictest", "cyclictest V 2.50"), 2, 2, 0);
    }

    static List<ScenarioRecord> scenarios() {
        List<ScenarioRecord> all = new ArrayList<>();
        all.add(scenario(11, 0, "none", true, START_MS + 1_000, START_MS + 11_000, S1T0));
        all.add(scenario(12, 1, "pipes", false, START_MS + 12_000, START_MS + 22_000, S2T0));
        return all;
    }

    static ScenarioRecord scenario(long id, int index, String load, boolean realtime, long startMs, long endMs, ThreadResult t) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("target", "local");
        dims.put("load", load);
        return new ScenarioRecord(id, 7, index, dims, ScenarioStatus.DONE, null, startMs, endMs, 10_000_000_000L, "vmlat builtin -i1000us",
                load.equals("none") ? "" : "vmlat _load pipe 1", Map.of("interval", "1ms"), List.of(), realtime, List.of(ThreadSummary.of(t)));
    }

    static String export(String format) {
        return ExportFormats.named(format).write(run(), scenarios(), sc -> List.of(sc.id() == 11 ? S1T0 : S2T0));
    }

    static String golden(String name) throws IOException {
        try (InputStream in = ExportFormatsTest.class.getResourceAsStream("/org/vmlat/report/export/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"und", "de-DE", "th-TH-u-nu-thai"})
    void everyFormatMatchesItsGoldenFileInEveryLocale(String tag) throws IOException {
        Locale.setDefault(Locale.forLanguageTag(tag));
        assertThat(export("csv")).isEqualTo(golden("run.csv"));
        assertThat(export("json")).isEqualTo(golden("run.json"));
        assertThat(export("hlog")).isEqualTo(golden("run.hlog"));
    }

    @Test
    void theCsvHoldsTheHandCheckedFigures() {
        assertThat(export("csv").lines().toList()).containsExactly(
                "scenario,target,load,status,thread,cpu,interval_ns,count,overruns,min_ns,p50_ns,p90_ns,p99_ns,p99_9_ns,p99_99_ns,max_ns,mean_ns,realtime",
                "1,local,none,done,0,1,1000000,4,0,1000,1200,2000,2000,2000,2000,2000,1425,true",
                "2,local,pipes,done,0,2,1000000,2,1,1100,1100,1900,1900,1900,1900,1900,1500,false");
    }

    @Test
    void theHlogReadsBackAsOneTaggedIntervalPerScenarioThread() {
        HistogramLogReader reader = new HistogramLogReader(new ByteArrayInputStream(export("hlog").getBytes(StandardCharsets.US_ASCII)));
        List<EncodableHistogram> read = new ArrayList<>();
        for (EncodableHistogram h = reader.nextIntervalHistogram(); h != null; h = reader.nextIntervalHistogram()) read.add(h);
        assertThat(read).hasSize(2);
        assertThat(read.get(0).getTag()).isEqualTo("S1T0");
        assertThat(read.get(1).getTag()).isEqualTo("S2T0");
        assertThat(reader.getStartTimeSec()).isEqualTo(START_MS / 1000.0 + 1);
        assertThat(read.get(0).getStartTimeStamp()).isEqualTo(START_MS + 1_000);
        assertThat(read.get(1).getEndTimeStamp()).isEqualTo(START_MS + 22_000);
        assertThat(((Histogram) read.get(0))).isEqualTo(S1T0.histogram());
        assertThat(((Histogram) read.get(1)).getTotalCount()).isEqualTo(2);
        assertThat(((Histogram) read.get(1)).getMaxValue()).isEqualTo(1900);
    }

    @Test
    void unknownFormatsNameTheKnownOnes() {
        assertThatThrownBy(() -> ExportFormats.named("xml")).hasMessage("expected csv, json, hlog, buckets, cyclictest-hist, cyclictest-json, got \"xml\"");
        assertThat(ExportFormats.all()).extracting(ExportFormat::name).containsExactly("csv", "json", "hlog", "buckets", "cyclictest-hist", "cyclictest-json");
    }
}
