package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short real lab run in-process, then every way of reading it back. */
class LabCliTest {
    @Test
    void runListShowExportReport(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("p.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, """
                name = "cli"
                duration = "1s"
                [probe]
                affinity = "1"
                [matrix]
                probe = ["builtin", "cyclictest"]
                interval = ["1ms"]
                load = ["none", "pipes"]
                [[load]]
                name = "pipes"
                preset = "builtin-pipe"
                instances = 1
                """);
        CliTest.Run dry = CliTest.run("lab", "run", plan.toString(), "--dry-run");
        assertThat(dry.out()).contains("4 scenarios");
        assertThat(Files.exists(db)).isFalse();

        CliTest.Run run = CliTest.run("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("[4/4]").contains("4 scenario(s) run: 4 done, 0 failed");

        CliTest.Run list = CliTest.run("runs", "list", "--store", db.toString());
        assertThat(list.out()).containsPattern("(?m)^1 +cli .* done +4/4 +0$");
        CliTest.Run show = CliTest.run("runs", "show", "1", "--store", db.toString());
        assertThat(show.out()).contains("cyclictest: cyclictest V").contains("pipes");

        CliTest.Run csv = CliTest.run("runs", "export", "1", "--format", "csv", "--store", db.toString());
        assertThat(csv.out().lines().count()).isEqualTo(5);
        assertThat(csv.out()).startsWith("scenario,target,probe,interval,load,priority,repetition,status,thread");

        CliTest.Run json = CliTest.run("runs", "export", "1", "--format", "json", "--store", db.toString());
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("plan").asText()).contains("name = \"cli\"");
        assertThat(j.get("scenarios").get(1).get("load_command").asText()).contains("_load pipe 1");
        assertThat(j.get("scenarios").get(2).get("probe_command").asText()).startsWith("cyclictest -m --policy=fifo -p95 -i1000");

        Path hlog = dir.resolve("r.hlog");
        CliTest.run("runs", "export", "1", "--format", "hlog", "-o", hlog.toString(), "--store", db.toString());
        HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        int histograms = 0;
        while (reader.nextIntervalHistogram() != null) histograms++;
        assertThat(histograms).isEqualTo(4);

        CliTest.Run report = CliTest.run("report", "1", "--rows", "probe", "--cols", "load", "--store", db.toString());
        assertThat(report.code()).isZero();
        assertThat(report.out()).containsPattern("(?m)^builtin +\\d+\\.\\d").containsPattern("(?m)^cyclictest +\\d+\\.\\d")
                .contains("Stress vs no stress")
                // one repetition a side: judged by a bootstrap at p99.9 (the max of one run has no interval), and said so
                .containsPattern("(?m)^host / builtin / 1ms / 95 +pipes .*p99\\.9: [+-]\\d+\\.\\d +\\[[+-]\\d+\\.\\d, [+-]\\d+\\.\\d\\] +(better|worse|indistinguishable)$")
                .contains("One repetition: the interval is a bootstrap").contains("The max of one run is one sample");
        CliTest.Run md = CliTest.run("report", "1", "--rows", "probe", "--cols", "load", "--metric", "p99", "--format", "markdown", "--store", db.toString());
        assertThat(md.out()).startsWith("Table: p99 latency in us, the largest p99 of each cell's threads and repetitions; rows probe, columns load\n\n"
                + "| probe \\ load | none | pipes |");
        CliTest.Run bad = CliTest.run("report", "1", "--rows", "kernel", "--store", db.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("unknown dimension \"kernel\"");
        CliTest.Run missing = CliTest.run("report", "9", "--store", db.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err()).contains("no run 9");
    }

    @Test
    void aMalformedPlanRunsNothing(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("p.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, "duration = \"1s\"\n[matrix]\ninterval = [\"1ms\", \"soon\"]\n");
        CliTest.Run r = CliTest.run("lab", "run", plan.toString(), "--store", db.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("p.toml:3: interval[2]: \"soon\" is not a duration");
        assertThat(Files.exists(db)).isFalse();
    }
}
