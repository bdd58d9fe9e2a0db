package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The store on a real PostgreSQL server: the same schema and behaviour as on SQLite, copies both ways, the work queue's claims. */
@ExtendWith(PostgresServer.class)
class PostgresStoreTest {

    /** A run with two scenarios: one done at its second attempt (the first kept a snapshot), one failed. */
    static long fill(ResultStore s) {
        long run = s.createRun("copy me", "plan.toml", "name = \"copy me\"\nduration = \"1s\"\n", Map.of("kernel", "6.1", "cpus", "2"),
                Map.of("cyclictest", "2.6"));
        s.addScenarios(run, List.of(Map.of("target", "host", "interval", "1ms"), Map.of("target", "host", "interval", "2ms")));
        long a = s.scenarioId(run, 0), b = s.scenarioId(run, 1);
        s.startScenario(a, 1_000_000_000L, "vmlat _probe ...", "stress-ng --cpu 1");
        s.saveThreads(a, List.of(ResultStoreTest.thread(0, 7)), false);
        s.startScenario(a, 1_000_000_000L, "vmlat _probe ...", "stress-ng --cpu 1");
        s.saveIntervals(a, List.of(new IntervalMax(0, 1, 1_700_000_000_000L, 1_700_000_001_000L, 1000, 48_123),
                new IntervalMax(1, 1, 1_700_000_000_000L, 1_700_000_001_000L, 999, 512_001)));
        s.finishScenario(a, ScenarioStatus.DONE, null, Map.of("policy", "fifo", "priority", "95"), List.of("smt on"), true,
                List.of(ResultStoreTest.thread(0, 1), ResultStoreTest.thread(1, 2)));
        s.startScenario(b, 1_000_000_000L, "vmlat _probe ...", "");
        s.finishScenario(b, ScenarioStatus.FAILED, "probe died: signal 9", Map.of(), List.of(), false);
        s.setRunStatus(run, RunStatus.DONE_WITH_FAILURES, true);
        return run;
    }

    /** Every row of a run's tables as read through JDBC, ids left out (copies get new ones), bytes as hex. */
    static List<List<String>> rows(ResultStore s, long runId) throws Exception {
        List<List<String>> out = new ArrayList<>();
        Connection db = s.connection();
        for (String sql : List.of("SELECT * FROM runs WHERE id = " + runId,
                "SELECT * FROM scenarios WHERE run_id = " + runId + " ORDER BY idx",
                "SELECT t.* FROM thread_results t JOIN scenarios s ON s.id = t.scenario_id WHERE s.run_id = " + runId
                        + " ORDER BY s.idx, t.attempt, t.thread",
                "SELECT m.* FROM interval_maxima m JOIN scenarios s ON s.id = m.scenario_id WHERE s.run_id = " + runId
                        + " ORDER BY s.idx, m.attempt, m.thread, m.start_ms")) {
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int c = 1; c <= md.getColumnCount(); c++) {
                        String name = md.getColumnLabel(c).toLowerCase();
                        if (name.equals("id") || name.equals("run_id") || name.equals("scenario_id")) continue;
                        Object v = rs.getObject(c);
                        row.add(name + "=" + (v instanceof byte[] b ? HexFormat.of().formatHex(b) : v instanceof Number n ? Long.toString(n.longValue())
                                : String.valueOf(v)));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    @Test
    void sqliteToPostgresAndBackIsTheSameRunBitForBit(PostgresServer pg, @TempDir Path dir) throws Exception {
        String url = pg.newDatabase();
        try (ResultStore file = ResultStore.open(dir.resolve("laptop.db").toString()); ResultStore lab = ResultStore.open(url);
             ResultStore back = ResultStore.open("sqlite:" + dir.resolve("back.db"))) {
            long run = fill(file);
            List<List<String>> original = rows(file, run);
            assertThat(original).hasSize(1 + 2 + 3 + 2); // the run, 2 scenarios, 1 snapshot thread + 2 final threads, 2 interval maxima

            Map<Long, Long> toLab = StoreCopy.copy(file, lab, List.of());
            long labRun = toLab.get(run);
            assertThat(rows(lab, labRun)).isEqualTo(original);
            Map<Long, Long> toFile = StoreCopy.copy(lab, back, List.of(labRun));
            assertThat(rows(back, toFile.get(labRun))).isEqualTo(original);

            // and through the store's own reading: histograms, spikes, settings, attempts
            long a = back.scenarioId(toFile.get(labRun), 0);
            assertThat(back.threadResults(a)).isEqualTo(file.threadResults(file.scenarioId(run, 0)));
            assertThat(back.intervals(a)).isEqualTo(file.intervals(file.scenarioId(run, 0))).hasSize(2);
            assertThat(back.attempts(a)).extracting(Attempt::number, Attempt::finished).containsExactly(
                    tuple(1, false), tuple(2, true));
            assertThat(lab.scenarios(labRun)).usingRecursiveComparison().ignoringFields("id", "runId").isEqualTo(file.scenarios(run));
        }
    }

    @Test
    void aPostgresStoreHasTheSameSchemaVersionAndRefusesWhatIsNotAVmlatStore(PostgresServer pg) throws Exception {
        String url = pg.newDatabase();
        try (ResultStore s = ResultStore.open(url)) {
            assertThat(s.sharedByMachines()).isTrue();
            try (Statement st = s.connection().createStatement();
                 ResultSet rs = st.executeQuery("SELECT value FROM vmlat_meta WHERE key = 'schema_version'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(Integer.toString(ResultStore.SCHEMA_VERSION));
            }
        }
        String other = pg.newDatabase();
        PostgresServer.asPostgres(PostgresServer.BIN.resolve("psql").toString(), "-h", "127.0.0.1", "-p", Integer.toString(pg.port()),
                "-U", "postgres", "-d", other.substring(other.lastIndexOf('/') + 1), "-c", "CREATE TABLE invoices (id INT)");
        assertThatThrownBy(() -> ResultStore.open(other)).hasMessageContaining("is a database but not a vmlat store; nothing was changed");
        assertThatThrownBy(() -> ResultStore.open(pg.url("127.0.0.1", "nosuchdb"))).hasMessageContaining("no such database");
    }

    @Test
    void claimsHandEachScenarioToOneWorkerAndKeepAHostGroupToOneAtATime(PostgresServer pg) throws Exception {
        String url = pg.newDatabase();
        try (ResultStore s = ResultStore.open(url)) {
            WorkQueue q = new WorkQueue(s);
            long run = q.submit("q", "p.toml", "", Map.of(), Map.of(), List.of(
                    new WorkQueue.Work(Map.of("i", "0"), "a", "box1"), new WorkQueue.Work(Map.of("i", "1"), "b", "box1"),
                    new WorkQueue.Work(Map.of("i", "2"), "c", WorkQueue.WORKER_MACHINE)));
            Optional<WorkQueue.Claim> first = q.claim(run, "w1", List.of("a", "b", "c"), "machine m1", 60_000);
            assertThat(first).get().extracting(WorkQueue.Claim::index, WorkQueue.Claim::group).containsExactly(0, "box1");
            // box1 is busy: w2 gets the scenario on its own machine, w3 nothing
            assertThat(q.claim(run, "w2", List.of("a", "b", "c"), "machine m2", 60_000)).get().extracting(WorkQueue.Claim::index).isEqualTo(2);
            assertThat(q.claim(run, "w3", List.of("a", "b", "c"), "machine m3", 60_000)).isEmpty();
            // a claim asked again by its owner (its acknowledgement lost) is the same claim
            assertThat(q.claim(run, "w1", List.of("a", "b", "c"), "machine m1", 60_000)).get().extracting(WorkQueue.Claim::index).isEqualTo(0);
            // an expired lease makes the scenario and its group claimable again
            try (Statement st = s.connection().createStatement()) {
                st.executeUpdate("UPDATE scenarios SET lease_until_ms = lease_until_ms - 120000 WHERE lease_owner = 'w1'");
            }
            assertThat(q.claim(run, "w3", List.of("a"), "machine m3", 60_000)).get().extracting(WorkQueue.Claim::index).isEqualTo(0);
            assertThat(q.renew(s.scenarioId(run, 0), "w1", 60_000)).as("w1 lost its lease").isFalse();
            s.writeAsLeaseOwner("w1");
            assertThatThrownBy(() -> s.startScenario(s.scenarioId(run, 0), 1, "", "")).isInstanceOf(LeaseLostException.class);
        }
    }
}
