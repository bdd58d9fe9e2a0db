package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/** lab run --duration/--repetitions (what runs and what the run records) and --dry-run's command lines. */
class LabOverridesCliTest {
    static final String PLAN = "name = \"o\"\nduration = \"30s\"\nrepetitions = 3\n[probe]\naffinity = \"0\"\n"
            + "[matrix]\nprobe = [\"builtin\", \"cyclictest\"]\ninterval = [\"1ms\"]\n";

    @Test
    void dryRunPrintsTheExactCommandLinesWithTheOverrides(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("p.toml"), PLAN);
        CliTest.Run r = CliTest.run("lab", "run", plan.toString(), "--dry-run", "--duration", "2s", "--repetitions", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("# plan o: 2 scenarios, 2s each")
                .contains("#1 probe: vmlat measure --probe builtin --policy fifo -p 95 -i 1000000ns -d 0ns -t 1 -a 0 -D 2000000000ns --warmup 0ns\n")
                .contains("#2 probe: cyclictest -m --policy=fifo -p95 -i1000 -t1 -a0 -D2 -h10000 --json=RESULT.json\n");
        CliTest.Run resumed = CliTest.run("lab", "run", "--resume", "1", "--duration", "1s");
        assertThat(resumed.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(resumed.err()).contains("--duration and --repetitions change a new run; a resumed run keeps what it started with");
    }

    @Test
    void aSubSecondRunIsMeasuredAndRecordedAsOverridden(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("p.toml"), PLAN.replace("\"builtin\", \"cyclictest\"", "\"builtin\""));
        Path db = dir.resolve("r.db");
        CliTest.Run r = CliTest.run("lab", "run", plan.toString(), "--store", db.toString(), "-q", "--duration", "400ms", "--repetitions", "2");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            assertThat(s.run(1).planText()).contains("duration = \"400ms\"   # --duration on the command line; the file said: duration = \"30s\"")
                    .contains("repetitions = 2   # --repetitions on the command line");
            assertThat(s.scenarios(1)).hasSize(2);
            for (ScenarioRecord sc : s.scenarios(1)) {
                assertThat(sc.durationNs()).isEqualTo(400_000_000L);
                assertThat(sc.threads().get(0).count() + sc.threads().get(0).overruns()).isBetween(300L, 401L);
            }
        }
    }
}
