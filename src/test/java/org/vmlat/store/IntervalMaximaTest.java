package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema 3, the worst sample per thread and interval: kept per attempt, in order; a store of
 * schema 2 ({@code store-v2.db}, written by the schema-2 ResultStore: run 1, scenario 0 done,
 * one thread on CPU 1 with 1000 samples from 5 to 14 µs) gains the table and keeps its results.
 */
class IntervalMaximaTest {
    @Test
    void aSchemaTwoStoreGainsAnEmptyTableAndKeepsItsResults(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("store-v2.db");
        try (InputStream in = IntervalMaximaTest.class.getResourceAsStream("store-v2.db")) {
            Files.copy(in, db);
        }
        assertThat(MigrationTest.value(db, "SELECT value FROM vmlat_meta WHERE key = 'schema_version'")).isEqualTo("2");
        try (ResultStore s = ResultStore.open(db.toString())) {
            ScenarioRecord sc = s.scenarios(1).get(0);
            assertThat(sc.status()).isEqualTo(ScenarioStatus.DONE);
            assertThat(sc.count()).isEqualTo(1000);
            assertThat(sc.maxNs()).isEqualTo(14_000);
            assertThat(s.intervals(sc.id())).isEmpty();
        }
        assertThat(MigrationTest.value(db, "SELECT value FROM vmlat_meta WHERE key = 'schema_version'")).isEqualTo(Integer.toString(ResultStore.SCHEMA_VERSION));
        assertThat(MigrationTest.value(db, "SELECT COUNT(*) FROM interval_maxima")).isEqualTo("0");
    }

    @Test
    void intervalsComeBackPerThreadInTimeOrderForTheLatestAttemptOnly(@TempDir Path dir) {
        try (ResultStore s = ResultStore.openSqlite(dir.resolve("r.db"))) {
            long run = s.createRun("r", "plan.toml", "t", Map.of(), Map.of());
            s.addScenarios(run, List.of(Map.of("target", "host")));
            long id = s.scenarioId(run, 0);
            s.startScenario(id, 1, "probe", "load");
            s.saveIntervals(id, List.of(new IntervalMax(0, 2, 1000, 2000, 10, 99)));
            s.startScenario(id, 1, "probe", "load"); // attempt 2 starts afresh
            IntervalMax a = new IntervalMax(1, 3, 2000, 3000, 10, 111_000_000), b = new IntervalMax(0, 2, 2000, 3000, 10, 7000),
                    c = new IntervalMax(0, 2, 1000, 2000, 0, -1);
            s.saveIntervals(id, List.of(a, b));
            s.saveIntervals(id, List.of(c, new IntervalMax(0, 2, 2000, 3000, 99, 1))); // the second repeats b's key: b stays
            assertThat(s.intervals(id)).containsExactly(c, b, a);
        }
    }

    @Test
    void anIntervalWithSamplesHasAMaximum() {
        assertThatThrownBy(() -> new IntervalMax(0, 0, 10, 20, 5, -1)).hasMessageContaining("maxNs");
        assertThatThrownBy(() -> new IntervalMax(0, 0, 20, 10, 0, -1)).hasMessageContaining("endMs (10) must be >= startMs (20)");
    }
}
