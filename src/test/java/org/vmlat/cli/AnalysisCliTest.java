package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.store.ScenarioStatus;

class AnalysisCliTest {
    static final String RM = """
            [[task]]
            name = "a"
            wcet = "1ms"
            period = "4ms"
            [[task]]
            name = "b"
            wcet = "1ms"
            period = "5ms"
            [[task]]
            name = "c"
            wcet = "3ms"
            period = "9ms"
            [[task]]
            name = "d"
            wcet = "3ms"
            period = "18ms"
            """;

    static JsonNode json(CliTest.Run r) throws Exception {
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void analyzeJsonCarriesResponseTimesAndTheTolerableLatency(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rm.toml");
        Files.writeString(f, RM);
        CliTest.Run r = CliTest.run("analyze", f.toString(), "--scheduler", "fp", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = json(r);
        assertThat(j.get("scheduler").asText()).isEqualTo("fp");
        assertThat(j.get("schedulable").asBoolean()).isTrue();
        assertThat(j.get("tasks").get(2).get("response_time_ns").asLong()).isEqualTo(7_000_000);
        assertThat(j.get("tasks").get(3).get("response_time_ns").asLong()).isEqualTo(18_000_000);
        // d has no slack: any jitter breaks it
        assertThat(j.get("max_tolerable_latency_ns").asLong()).isZero();
    }

    @Test
    void unschedulableExitsWithThree(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("rm.toml");
        Files.writeString(f, RM);
        CliTest.Run r = CliTest.run("analyze", f.toString(), "--latency", "1us");
        assertThat(r.code()).isEqualTo(ExitCodes.THRESHOLD);
        assertThat(r.out()).contains("NOT schedulable");
    }

    @Test
    void latencyFromAMeasurementResult(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.toml");
        Files.writeString(f, "[[task]]\nname = \"x\"\nwcet = \"100us\"\nperiod = \"1ms\"\n");
        Path res = dir.resolve("r.json");
        CliTest.Run imp = CliTest.run("import", Path.of(getClass().getResource("/org/vmlat/latency/cyclictest-2.4/json-t2-hist.json").toURI()).toString(),
                "--json", res.toString());
        assertThat(imp.code()).isZero();
        CliTest.Run r = CliTest.run("analyze", f.toString(), "--latency-from", res + ":max", "--json");
        assertThat(json(r).get("latency_ns").asLong()).isEqualTo(142_000); // the larger max of the two threads
        CliTest.Run p = CliTest.run("analyze", f.toString(), "--latency-from", res + ":p99", "--json");
        assertThat(json(p).get("latency_ns").asLong()).isLessThan(142_000);
        CliTest.Run bad = CliTest.run("analyze", f.toString(), "--latency-from", res + ":p42");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown metric \"p42\"");
    }

    @Test
    void latencyFromAStoredRun(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.toml"), db = dir.resolve("r.db");
        Files.writeString(f, "[[task]]\nname = \"x\"\nwcet = \"100us\"\nperiod = \"1ms\"\n");
        try (var store = org.vmlat.store.ResultStore.openSqlite(db)) {
            long run = store.createRun("r", "p", "t", java.util.Map.of(), java.util.Map.of());
            store.addScenarios(run, java.util.List.of(java.util.Map.of("load", "none"), java.util.Map.of("load", "stress")));
            long[] maxUs = {50, 130};
            for (int i = 0; i < 2; i++) {
                long id = store.scenarioId(run, i);
                var h = org.vmlat.latency.LatencyHistograms.create();
                for (long v = 1; v <= maxUs[i]; v++) h.recordValue(v * 1000);
                store.startScenario(id, 1, "p", "l");
                store.saveThreads(id, java.util.List.of(new org.vmlat.latency.ThreadResult(0, 0, 1_000_000, 1, maxUs[i], 1000,
                        maxUs[i] * 1000, 0, 0, 0, h, java.util.List.of())), true);
                store.finishScenario(id, ScenarioStatus.DONE, null, java.util.Map.of(), java.util.List.of(), true);
            }
        }
        assertThat(json(CliTest.run("analyze", f.toString(), "--latency-from", "1", "--store", db.toString(), "--json"))
                .get("latency_ns").asLong()).isEqualTo(130_000);
        assertThat(json(CliTest.run("analyze", f.toString(), "--latency-from", "1:1", "--store", db.toString(), "--json"))
                .get("latency_ns").asLong()).isEqualTo(50_000);
        assertThat(json(CliTest.run("analyze", f.toString(), "--latency-from", "1:2:p50", "--store", db.toString(), "--json"))
                .get("latency_ns").asLong()).isBetween(64_000L, 66_000L);
        CliTest.Run missing = CliTest.run("analyze", f.toString(), "--latency-from", "1:7", "--store", db.toString());
        assertThat(missing.err()).contains("run 1 has no scenario 7");
        // 50 and 130 samples: too few for a tail fit, said as such rather than guessed
        CliTest.Run pwcet = CliTest.run("analyze", f.toString(), "--latency-from", "1:pwcet1e-9", "--store", db.toString());
        assertThat(pwcet.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(pwcet.err()).contains("the tail fit is too few data");
        CliTest.Run badP = CliTest.run("analyze", f.toString(), "--latency-from", "1:pwcet1e-7", "--store", db.toString());
        assertThat(badP.code()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void designJsonAndMinimality(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.toml");
        Files.writeString(f, RM.replace("period = \"18ms\"", "period = \"36ms\"").replace("wcet = \"3ms\"\nperiod = \"9ms\"", "wcet = \"1ms\"\nperiod = \"9ms\""));
        CliTest.Run r = CliTest.run("design", f.toString(), "--period", "1ms", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = json(r);
        assertThat(j.get("model").asText()).isEqualTo("prm");
        assertThat(j.get("period_ns").asLong()).isEqualTo(1_000_000);
        long budget = j.get("budget_ns").asLong();
        assertThat(j.get("bandwidth").asDouble()).isEqualTo(budget / 1e6);
        assertThat(j.get("vms").get(0).get("sched_deadline").get("runtime_ns").asLong()).isEqualTo(budget);
        CliTest.Run edp = CliTest.run("design", f.toString(), "--period", "1ms", "--model", "edp", "--deadline", "800us", "--json");
        // an earlier server deadline shortens the longest gap in the supply (x = Pi + Delta - 2 Theta): never more budget
        assertThat(json(edp).get("budget_ns").asLong()).isLessThanOrEqualTo(budget);
        CliTest.Run same = CliTest.run("design", f.toString(), "--period", "1ms", "--model", "edp", "--deadline", "1ms", "--json");
        assertThat(json(same).get("budget_ns").asLong()).isEqualTo(budget);
    }

    @Test
    void designTextShowsDeployableSettings() throws Exception {
        CliTest.Run r = CliTest.run("design", "examples/vms.toml", "--period", "5ms", "--latency", "72us");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("chrt --deadline --sched-runtime").contains("<vcpu_quota>").contains("admitted");
        CliTest.Run sweep = CliTest.run("design", "examples/vms.toml", "--sweep", "1ms..3ms", "--step", "1ms");
        assertThat(sweep.out()).contains("<- best");
        CliTest.Run bad = CliTest.run("design", "examples/vms.toml");
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
    }

    /** A budget plus its overhead beyond the deadline is not admitted (it was once capped at the deadline and admitted). */
    @Test
    void designNeverCapsTheOverheadAtTheDeadline(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.toml");
        Files.writeString(f, "[[task]]\nname = \"hot\"\nwcet = \"900us\"\nperiod = \"1ms\"\n");
        CliTest.Run r = CliTest.run("design", f.toString(), "--period", "1ms", "--overhead", "200us", "--rt-limit", "1");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(ExitCodes.THRESHOLD);
        assertThat(r.out()).contains("NOT admitted").contains("more than the server deadline").doesNotContain("budget 1ms");
        CliTest.Run j = CliTest.run("design", f.toString(), "--period", "1ms", "--overhead", "200us", "--rt-limit", "1", "--json");
        assertThat(json(j).get("admitted").asBoolean()).isFalse();
        assertThat(json(j).get("unschedulable_reasons").get(0).asText()).contains("overhead");
        CliTest.Run fits = CliTest.run("design", f.toString(), "--period", "1ms", "--overhead", "10us", "--rt-limit", "1", "--json");
        assertThat(json(fits).get("budget_ns").asLong()).isGreaterThan(900_000).isLessThanOrEqualTo(1_000_000);
    }

    @Test
    void acceptWritesCsvAndPng(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("a.csv"), png = dir.resolve("a.png");
        CliTest.Run r = CliTest.run("accept", "--tasks", "5", "--util", "0.5..0.9", "--step", "0.2", "--latency", "0..1ms",
                "--latency-step", "500us", "--sets", "50", "--seed", "3", "--csv", csv.toString(), "--png", png.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readAllLines(csv)).hasSize(1 + 3 * 3).first().isEqualTo("utilisation,latency_ns,accepted,sets,ratio");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(png), 4);
        assertThat(head).containsExactly(0x89, 'P', 'N', 'G');
        CliTest.Run again = CliTest.run("accept", "--tasks", "5", "--util", "0.5..0.9", "--step", "0.2", "--latency", "0..1ms",
                "--latency-step", "500us", "--sets", "50", "--seed", "3");
        assertThat(again.out().lines().filter(l -> l.startsWith("0.")).toList())
                .isEqualTo(r.out().lines().filter(l -> l.startsWith("0.")).toList());
    }
}
