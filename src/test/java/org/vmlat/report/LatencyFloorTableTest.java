package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioStatus;

/**
 * The latency floor section read from a run stored as the lab stores one: a guest_cmdline sweep
 * with known samples (whole microseconds, as cyclictest gives them), one cell with two
 * repetitions pooled, one scenario traced with a real explained spike, one failed scenario left out.
 */
class LatencyFloorTableTest {
    @TempDir
    Path dir;

    record Stored(String cmdline, String interval, int repetition, ScenarioStatus status, long[] samplesUs, List<SpikeExplanation> spikes) {}

    static ThreadResult thread(long intervalNs, long... us) {
        Histogram h = LatencyHistograms.create();
        long min = Long.MAX_VALUE, max = 0, sum = 0;
        for (long v : us) {
            h.recordValue(v * 1000);
            min = Math.min(min, v * 1000);
            max = Math.max(max, v * 1000);
            sum += v * 1000;
        }
        return new ThreadResult(0, 1, intervalNs, 1000, us.length, min, max, sum, 0, 0, h, List.of());
    }

    ResultStore store(List<Stored> scenarios) {
        ResultStore s = ResultStore.openSqlite(dir.resolve("r.db"));
        long run = s.createRun("slop", "plan.toml", "", Map.of(), Map.of());
        List<Map<String, String>> dims = new ArrayList<>();
        for (Stored x : scenarios) {
            Map<String, String> d = new LinkedHashMap<>();
            d.put("target", "xen");
            d.put("guest_cmdline", x.cmdline());
            d.put("probe", "cyclictest");
            d.put("interval", x.interval());
            d.put("load", "none");
            d.put("priority", "95");
            d.put("repetition", Integer.toString(x.repetition()));
            dims.add(d);
        }
        s.addScenarios(run, dims);
        for (int i = 0; i < scenarios.size(); i++) {
            Stored x = scenarios.get(i);
            long id = s.scenarioId(run, i);
            s.startScenario(id, 5_000_000_000L, "cyclictest", "");
            Map<String, String> settings = new LinkedHashMap<>(Map.of(SettingsKeys.GUEST_CMDLINE, x.cmdline()));
            if (!x.spikes().isEmpty()) {
                settings.put(SettingsKeys.EXPLAIN, ExplanationJson.write(x.spikes()));
                settings.put(SettingsKeys.TRACE_THRESHOLD_NS, "100000");
            }
            long intervalNs = x.interval().equals("1ms") ? 1_000_000 : 200_000;
            s.finishScenario(id, x.status(), x.status() == ScenarioStatus.DONE ? null : "did not boot", settings, List.of(), true,
                    List.of(thread(intervalNs, x.samplesUs())));
        }
        return s;
    }

    @Test
    void eachCommandLineAndIntervalGetsItsFloorFromTheStoredSamples() throws Exception {
        SpikeExplanation busy = ExplainedSpikesReportTest.busy();
        try (ResultStore s = store(List.of(
                new Stored("", "200us", 1, ScenarioStatus.DONE, new long[] {100, 105, 110}, List.of()),
                new Stored("", "1ms", 1, ScenarioStatus.DONE, new long[] {101, 102, 400}, List.of()),
                new Stored("xen_timer_slop=0", "200us", 1, ScenarioStatus.DONE, new long[] {7, 9, 12, 2690}, List.of(busy)),
                new Stored("xen_timer_slop=0", "1ms", 1, ScenarioStatus.FAILED, new long[] {1}, List.of()),
                new Stored("", "200us", 2, ScenarioStatus.DONE, new long[] {98, 300}, List.of())))) {
            String text = RunReport.of(s, 1, null, null, false).tables(s, WorstCaseTable.Metric.MAX, WorstCaseTable.Format.TEXT);
            String l1 = String.format(Locale.ROOT, "%.0f%%", 100.0 * busy.partNs(Part.TIMER_LATE) / busy.latencyNs());
            String section = text.substring(text.indexOf("\nLatency floor"), text.indexOf("\n\n", text.indexOf("\nLatency floor") + 1) < 0
                    ? text.length() : text.indexOf("\n\n", text.indexOf("\nLatency floor") + 1));
            assertThat(section).startsWith("\nLatency floor per guest_cmdline and interval").contains(String.join("\n",
                    "target     guest_cmdline  interval  scenarios  samples  min (us)  p50 (us)  max (us)  L1 share",
                    "------  ----------------  --------  ---------  -------  --------  --------  --------  --------",
                    "xen               (none)     200us          2        5      98.0     105.0     300.0         -",
                    "xen               (none)       1ms          1        3     101.0     102.0     400.0         -",
                    "xen     xen_timer_slop=0     200us          1        4       7.0       9.0    2690.0" + " ".repeat(10 - l1.length()) + l1));
            assertThat(section).doesNotContain("1ms          1        1");
            String html = LatencyFloorTable.html(s.scenarios(1), sc -> ScenarioHistograms.merged(s, sc));
            assertThat(html).contains("<tr><td>xen</td><td>(none)</td><td>200us</td><td>2</td><td>5</td><td>98.0</td><td>105.0</td><td>300.0</td><td>-</td></tr>");
        }
    }

    @Test
    void aRunWithoutTheDimensionHasNoSection() {
        try (ResultStore s = store(List.of(new Stored("", "1ms", 1, ScenarioStatus.DONE, new long[] {5}, List.of())))) {
            assertThat(LatencyFloorTable.applies(s.scenarios(1))).isTrue();
            List<org.vmlat.store.ScenarioRecord> without = s.scenarios(1).stream().map(r -> {
                Map<String, String> d = new LinkedHashMap<>(r.dims());
                d.remove("guest_cmdline");
                return new org.vmlat.store.ScenarioRecord(r.id(), r.runId(), r.index(), d, r.status(), r.reason(), r.startedMs(), r.endedMs(),
                        r.durationNs(), r.probeCommand(), r.loadCommands(), r.settings(), r.warnings(), r.realtime(), r.threads());
            }).toList();
            assertThat(LatencyFloorTable.render(without, sc -> { throw new AssertionError("no samples read"); }, WorstCaseTable.Format.TEXT)).isEmpty();
        }
    }
}
