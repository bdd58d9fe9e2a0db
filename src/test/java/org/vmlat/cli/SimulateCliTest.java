package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.HdrHistogram.Histogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioStatus;

class SimulateCliTest {
    static final String TWO = """
            [[task]]
            name = "tau1"
            wcet = "1ms"
            period = "3ms"
            [[task]]
            name = "tau2"
            wcet = "3ms"
            period = "5ms"
            """;

    @Test
    void noLatencyMeetsEveryDeadline(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("two.toml");
        Files.writeString(f, TWO);
        CliTest.Run r = CliTest.run("simulate", f.toString(), "--duration", "30ms");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("no deadline missed");
        // tau2's worst response without latency is 5 ms (worked by hand), equal to the RTA bound
        assertThat(r.out()).containsPattern("tau2 +6 +0 .* 5000\\.0 +5000\\.0");
    }

    /**
     * A fixed 1 ms latency shifts the whole schedule by 1 ms: tau2's first job completes at 6 ms, after
     * its deadline 5 ms. Window: 0 to 10 ms (a largest period after that deadline). Bars by hand:
     * theoretical tau1 0-1, tau2 1-3, tau1 3-4, tau2 4-5, tau2 5-6, tau1 6-7, tau2 7-9, tau1 9-10 (8);
     * actual the same shifted by 1 ms, the last one beyond the window (7).
     */
    @Test
    void fixedLatencyMissesAndDrawsBothSchedules(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("two.toml");
        Files.writeString(f, TWO);
        Path svg = dir.resolve("s.svg");
        CliTest.Run r = CliTest.run("simulate", f.toString(), "--latency", "1ms", "--duration", "15ms", "--svg", svg.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.THRESHOLD);
        assertThat(r.out()).contains("first deadline miss: tau2 job 0 (released 0.0 us, due 5000.0 us)");
        String s = Files.readString(svg);
        Matcher m = Pattern.compile("<rect class=\"job\"").matcher(s);
        int bars = 0;
        while (m.find()) bars++;
        assertThat(bars).isEqualTo(15);
        assertThat(s).contains("theoretical (no latency)").contains("actual (latency 1ms fixed)").contains("class=\"miss\"");
    }

    @Test
    void latencyOptionsExcludeEachOther(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("two.toml");
        Files.writeString(f, TWO);
        CliTest.Run r = CliTest.run("simulate", f.toString(), "--latency", "1ms", "--latency-from", "1");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        CliTest.Run bad = CliTest.run("simulate", f.toString(), "--server", "6ms/5ms");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    }

    /** Scenario 1 measured 1..50 us, scenario 2 1..130 us: 1000 draws reach each one's largest value. */
    @Test
    void latencyDrawnFromAStoredRun(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.toml"), db = dir.resolve("r.db");
        Files.writeString(f, "[[task]]\nname = \"x\"\nwcet = \"100us\"\nperiod = \"1ms\"\n");
        try (ResultStore store = ResultStore.openSqlite(db)) {
            long run = store.createRun("r", "p", "t", Map.of(), Map.of());
            store.addScenarios(run, List.of(Map.of("load", "none"), Map.of("load", "stress")));
            long[] maxUs = {50, 130};
            for (int i = 0; i < 2; i++) {
                long id = store.scenarioId(run, i);
                Histogram h = LatencyHistograms.create();
                for (long v = 1; v <= maxUs[i]; v++) h.recordValue(v * 1000);
                store.startScenario(id, 1, "p", "l");
                store.saveThreads(id, List.of(new ThreadResult(0, 0, 1_000_000, 1, maxUs[i], 1000,
                        maxUs[i] * 1000, 0, 0, 0, h, List.of())), true);
                store.finishScenario(id, ScenarioStatus.DONE, null, Map.of(), List.of(), true);
            }
        }
        CliTest.Run one = CliTest.run("simulate", f.toString(), "--latency-from", "1:1", "--store", db.toString(), "--duration", "1s");
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(one.out()).contains("largest latency drawn (L^max): 50.0 us");
        CliTest.Run all = CliTest.run("simulate", f.toString(), "--latency-from", "1", "--store", db.toString(), "--duration", "1s");
        assertThat(all.out()).contains("largest latency drawn (L^max): 130.0 us");
        // the only task runs alone: its response is the drawn latency plus its 100 us, within the bound 230 us
        assertThat(all.out()).containsPattern("x +1000 +0 .* 230\\.0 +230\\.0");
        CliTest.Run missing = CliTest.run("simulate", f.toString(), "--latency-from", "1:7", "--store", db.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
    }
}
