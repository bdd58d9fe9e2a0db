package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;

/**
 * Schema 1 to 2 on a store written by the schema-1 ResultStore ({@code store-v1.db}): run 1,
 * scenario 0 done with two final threads ({@code ResultStoreTest.thread(0, 11)} and
 * {@code (1, 12)}), scenario 1 partial with two snapshot threads ({@code (0, 21)}, {@code (1, 22)}),
 * 10 000 samples each; the run interrupted.
 */
class MigrationTest {
    static Path v1Copy(Path dir) throws Exception {
        Path db = dir.resolve("store-v1.db");
        try (InputStream in = MigrationTest.class.getResourceAsStream("store-v1.db")) {
            Files.copy(in, db);
        }
        return db;
    }

    static void sql(Path db, String... statements) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            for (String st : statements) s.execute(st);
        }
    }

    static String value(Path db, String query) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    void v1BecomesV2KeepingEverySampleAsAttemptOne(@TempDir Path dir) throws Exception {
        Path db = v1Copy(dir);
        assertThat(value(db, "SELECT value FROM vmlat_meta WHERE key = 'schema_version'")).isEqualTo("1");
        try (ResultStore s = ResultStore.open(db.toString())) {
            assertThat(s.run(1).status()).isEqualTo(RunStatus.INTERRUPTED);
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all).extracting(ScenarioRecord::status).containsExactly(ScenarioStatus.DONE, ScenarioStatus.PARTIAL);
            assertThat(all.get(0).settings()).containsEntry("policy", "fifo");
            assertThat(all).extracting(ScenarioRecord::count).containsExactly(20_000L, 20_000L);
            assertThat(s.attempts(all.get(0).id())).containsExactly(new Attempt(1, true, 20_000));
            assertThat(s.attempts(all.get(1).id())).containsExactly(new Attempt(1, false, 20_000));

            ThreadResult expected = ResultStoreTest.thread(1, 22);
            ThreadResult back = s.threadResults(all.get(1).id()).get(1);
            assertThat(back.histogram()).isEqualTo(expected.histogram());
            assertThat(back).usingRecursiveComparison().ignoringFields("histogram").isEqualTo(expected);
        }
        assertThat(value(db, "SELECT value FROM vmlat_meta WHERE key = 'schema_version'")).isEqualTo(Integer.toString(ResultStore.SCHEMA_VERSION));
    }

    @Test
    void resumingAMigratedPartialScenarioKeepsItsFirstAttempt(@TempDir Path dir) throws Exception {
        Path db = v1Copy(dir);
        try (ResultStore s = ResultStore.open(db.toString())) {
            long id = s.scenarioId(1, 1);
            assertThat(s.startScenario(id, 1_000_000_000L, "p", "l")).isEqualTo(2);
            ThreadResult again = ResultStoreTest.thread(0, 99);
            s.finishScenario(id, ScenarioStatus.DONE, null, Map.of(), List.of(), true, List.of(again));
            assertThat(s.attempts(id)).containsExactly(new Attempt(1, false, 20_000), new Attempt(2, true, 10_000));
            assertThat(s.scenarios(1).get(1).threads()).containsExactly(ThreadSummary.of(again));
            assertThat(s.threadResults(id, 1)).hasSize(2);
            assertThat(s.threadResults(id, 1).get(0).histogram()).isEqualTo(ResultStoreTest.thread(0, 21).histogram());
        }
    }

    /** Stored percentiles are whatever rule wrote them; after the migration they are the current rule's. */
    @Test
    void percentilesAreRecomputedFromTheHistogramsByTheOneRule(@TempDir Path dir) throws Exception {
        Path db = v1Copy(dir);
        sql(db, "UPDATE thread_results SET p50_ns = -7, p90_ns = -7, p99_ns = -7, p999_ns = -7, p9999_ns = -7");
        try (ResultStore s = ResultStore.open(db.toString())) {
            for (ScenarioRecord sc : s.scenarios(1)) {
                List<ThreadResult> full = s.threadResults(sc.id());
                assertThat(sc.threads()).hasSize(2);
                for (int i = 0; i < full.size(); i++) {
                    ThreadResult t = full.get(i);
                    ThreadSummary stored = sc.threads().get(i);
                    assertThat(new long[] {stored.p50Ns(), stored.p90Ns(), stored.p99Ns(), stored.p999Ns(), stored.p9999Ns()})
                            .containsExactly(t.percentileNs(50), t.percentileNs(90), t.percentileNs(99), t.percentileNs(99.9), t.percentileNs(99.99));
                    assertThat(stored.p99Ns()).isPositive();
                }
            }
        }
    }

    /** Schema 1 could leave final results marked running (killed between its two writes): they are done. */
    @Test
    void finishedResultsLeftRunningAreRecognisedAsFinished(@TempDir Path dir) throws Exception {
        Path db = v1Copy(dir);
        sql(db, "UPDATE scenarios SET status = 'running', settings_json = NULL WHERE idx = 0");
        try (ResultStore s = ResultStore.open(db.toString())) {
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all.get(0).status()).isEqualTo(ScenarioStatus.DONE);
            assertThat(all.get(0).reason()).contains("finished");
            assertThat(all.get(0).count()).isEqualTo(20_000);
            assertThat(all.get(1).status()).as("snapshot results stay partial").isEqualTo(ScenarioStatus.PARTIAL);
            assertThat(s.run(1).done()).isEqualTo(1);
        }
    }

    /** A migration that fails half-way leaves the store as it was: schema 1, every row in place. */
    @Test
    void aFailingMigrationChangesNothing(@TempDir Path dir) throws Exception {
        Path db = v1Copy(dir);
        sql(db, "UPDATE thread_results SET histogram = X'00010203' WHERE scenario_id = 2 AND thread = 1");
        assertThatThrownBy(() -> ResultStore.open(db.toString())).isInstanceOf(StoreException.class).hasMessageContaining("corrupt histogram");
        assertThat(value(db, "SELECT value FROM vmlat_meta WHERE key = 'schema_version'")).isEqualTo("1");
        assertThat(value(db, "SELECT COUNT(*) FROM thread_results")).isEqualTo("4");
        assertThat(value(db, "SELECT COUNT(*) FROM pragma_table_info('thread_results') WHERE name = 'attempt'")).isEqualTo("0");
        assertThat(value(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'thread_results_v2'")).isEqualTo("0");
    }

    @Test
    void readingAnOlderStoreUpgradesItFirstWhenItCan(@TempDir Path dir) throws Exception {
        Path db = v1Copy(dir);
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            assertThat(s.scenarios(1)).hasSize(2);
        }
        assertThat(value(db, "SELECT value FROM vmlat_meta WHERE key = 'schema_version'")).isEqualTo(Integer.toString(ResultStore.SCHEMA_VERSION));
    }

    @Test
    void theMigrationsAreNumberedOneByOne() {
        for (int i = 0; i < Migrations.ALL.size(); i++) assertThat(Migrations.ALL.get(i).version()).isEqualTo(i + 1);
        assertThat(ResultStore.SCHEMA_VERSION).isEqualTo(4);
    }
}
