package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioStatus;

/** A run or scenario addressed the wrong way gets told what is wrong, not a parser's complaint. */
class RunAddressCliTest {

    static Path store(Path dir) {
        Path db = dir.resolve("r.db");
        try (ResultStore s = ResultStore.openSqlite(db)) {
            long run = s.createRun("r", "p", "t", Map.of(), Map.of());
            s.addScenarios(run, List.of(Map.of("load", "none"), Map.of("load", "cpu")));
            long first = s.scenarioId(run, 0);
            s.startScenario(first, 1, "p", "l");
            s.finishScenario(first, ScenarioStatus.FAILED, "cyclictest exited with 1", Map.of(), List.of(), false);
        }
        return db;
    }

    @Test
    void runsShowAndExportTakeAWholeRunAndSaySo(@TempDir Path dir) {
        Path db = store(dir);
        for (String cmd : List.of("show", "export")) {
            CliTest.Run r = CliTest.run("runs", cmd, "1:2", "--store", db.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("'1:2' is scenario 2 of run 1: this command takes a whole run (vmlat runs show 1 lists its scenarios;")
                    .doesNotContain("is not a long");
        }
        CliTest.Run bad = CliTest.run("runs", "show", "latest", "--store", db.toString());
        assertThat(bad.err()).contains("expected a run number (vmlat runs list), got 'latest'");
        assertThat(CliTest.run("runs", "show", "1", "--store", db.toString()).code()).isZero();
    }

    @Test
    void tailSaysWhichScenariosThereAreAndWhyNoneFits(@TempDir Path dir) {
        Path db = store(dir);
        CliTest.Run missing = CliTest.run("tail", "1:9", "--store", db.toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err()).contains("run 1 has no scenario 9: it has scenarios 1 to 2 (vmlat runs show 1)");
        CliTest.Run failed = CliTest.run("tail", "1", "--store", db.toString());
        assertThat(failed.err()).contains("run 1: no finished scenario with samples to fit; scenario 1 failed (cyclictest exited with 1), "
                + "2 pending (vmlat runs show 1)");
        CliTest.Run one = CliTest.run("tail", "1:2", "--store", db.toString());
        assertThat(one.err()).contains("run 1 scenario 2: no finished scenario with samples to fit; scenario 2 pending");
    }
}
