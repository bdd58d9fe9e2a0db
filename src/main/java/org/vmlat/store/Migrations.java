package org.vmlat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.vmlat.latency.ThreadResult;

/**
 * Every schema the store has had, as the changes that lead from none to the latest. A new store
 * applies them all; an older one the ones it lacks. To change the schema, append a migration
 * (never edit one that has shipped: stores out there already carry it) and keep a store of the
 * previous version as a test fixture.
 */
final class Migrations {
    static final List<Migration> ALL = List.of(
            new Migration(1, "runs, scenarios and per-thread results", Migrations::v1),
            new Migration(2, "attempts: a re-run keeps earlier results; finished results are recognised as finished;"
                    + " stored percentiles recomputed by the current rule", Migrations::v2),
            new Migration(3, "interval maxima: the worst sample per thread and interval, for latency over time", Migrations::v3),
            new Migration(4, "the lab's work queue: queued runs; per scenario its target, host group and a worker's lease",
                    Migrations::v4));

    /** The schema version this vmlat writes. */
    static final int LATEST = ALL.get(ALL.size() - 1).version();

    private Migrations() {}

    private static void v1(Connection db, SqlDialect d) throws SQLException {
        try (Statement s = db.createStatement()) {
            // declared lengths bind only databases that enforce them: "done-with-failures" needs more than 16
            s.execute("CREATE TABLE runs (id " + d.generatedKey() + ", name TEXT, plan_file TEXT, plan_text TEXT,"
                    + " status VARCHAR(32) NOT NULL, started_ms BIGINT, ended_ms BIGINT, system_json TEXT, tools_json TEXT)");
            s.execute("CREATE TABLE scenarios (id " + d.generatedKey() + ", run_id INTEGER NOT NULL REFERENCES runs(id),"
                    + " idx INTEGER NOT NULL, dims_json TEXT NOT NULL, status VARCHAR(16) NOT NULL, reason TEXT,"
                    + " started_ms BIGINT, ended_ms BIGINT, duration_ns BIGINT, probe_command TEXT, load_commands TEXT,"
                    + " settings_json TEXT, warnings_json TEXT, realtime INTEGER, UNIQUE (run_id, idx))");
            s.execute("CREATE TABLE thread_results (scenario_id INTEGER NOT NULL REFERENCES scenarios(id), thread INTEGER NOT NULL,"
                    + " cpu INTEGER, interval_ns BIGINT, resolution_ns BIGINT, count BIGINT, min_ns BIGINT, max_ns BIGINT,"
                    + " sum_ns BIGINT, overruns BIGINT, overflows BIGINT, p50_ns BIGINT, p90_ns BIGINT, p99_ns BIGINT, p999_ns BIGINT,"
                    + " p9999_ns BIGINT, histogram " + d.bytesType() + ", spikes_json TEXT, final INTEGER NOT NULL,"
                    + " PRIMARY KEY (scenario_id, thread))");
        }
    }

    /**
     * Schema 2. A scenario counts its attempts and every attempt keeps its own results, so
     * re-running a scenario no longer deletes what an interrupted attempt measured. Version 1
     * kept one set of results per scenario: it becomes attempt 1. A scenario left running or
     * partial whose results are all final was finished when its vmlat died before recording the
     * end; it is done. Stored percentiles are recomputed from the histograms by the one rule of
     * {@link ThreadResult#percentileNs}, whatever rule wrote them.
     */
    private static void v2(Connection db, SqlDialect d) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("ALTER TABLE scenarios ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0");
            s.execute("CREATE TABLE thread_results_v2 (scenario_id INTEGER NOT NULL REFERENCES scenarios(id),"
                    + " attempt INTEGER NOT NULL, final INTEGER NOT NULL, thread INTEGER NOT NULL,"
                    + " cpu INTEGER, interval_ns BIGINT, resolution_ns BIGINT, count BIGINT, min_ns BIGINT, max_ns BIGINT,"
                    + " sum_ns BIGINT, overruns BIGINT, overflows BIGINT, histogram " + d.bytesType() + ", spikes_json TEXT,"
                    + " p50_ns BIGINT, p90_ns BIGINT, p99_ns BIGINT, p999_ns BIGINT, p9999_ns BIGINT,"
                    + " PRIMARY KEY (scenario_id, attempt, thread))");
            s.execute("INSERT INTO thread_results_v2 (scenario_id, attempt, final, " + ThreadRows.RESULT_COLUMNS + ", "
                    + ThreadRows.PERCENTILE_COLUMNS + ") SELECT scenario_id, 1, final, " + ThreadRows.RESULT_COLUMNS + ", "
                    + ThreadRows.PERCENTILE_COLUMNS + " FROM thread_results");
            s.execute("DROP TABLE thread_results");
            s.execute("ALTER TABLE thread_results_v2 RENAME TO thread_results");
        }
        try (PreparedStatement p = db.prepareStatement("UPDATE scenarios SET attempt = 1 WHERE status <> ?")) {
            p.setString(1, ScenarioStatus.PENDING.storedName());
            p.executeUpdate();
        }
        try (PreparedStatement p = db.prepareStatement("UPDATE scenarios SET status = ?, reason = ?"
                + " WHERE status IN (?, ?) AND EXISTS (SELECT 1 FROM thread_results t WHERE t.scenario_id = scenarios.id)"
                + " AND NOT EXISTS (SELECT 1 FROM thread_results t WHERE t.scenario_id = scenarios.id AND t.final = 0)")) {
            p.setString(1, ScenarioStatus.DONE.storedName());
            p.setString(2, "finished; vmlat ended before recording its end (settings and warnings not kept)");
            p.setString(3, ScenarioStatus.RUNNING.storedName());
            p.setString(4, ScenarioStatus.PARTIAL.storedName());
            p.executeUpdate();
        }
        recomputePercentiles(db);
    }

    /**
     * Schema 3. The worst sample of each thread in each interval the probe reports (about a
     * second), so a report can show latency over time. Older runs have none: their reports say so.
     */
    private static void v3(Connection db, SqlDialect d) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE interval_maxima (scenario_id INTEGER NOT NULL REFERENCES scenarios(id), attempt INTEGER NOT NULL,"
                    + " thread INTEGER NOT NULL, cpu INTEGER, start_ms BIGINT NOT NULL, end_ms BIGINT NOT NULL, count BIGINT NOT NULL,"
                    + " max_ns BIGINT NOT NULL, PRIMARY KEY (scenario_id, attempt, thread, start_ms))");
        }
    }

    /** Rewrites every stored percentile from its histogram by {@link ThreadResult#percentileNs}. */
    static void recomputePercentiles(Connection db) throws SQLException {
        try (PreparedStatement q = db.prepareStatement("SELECT scenario_id, attempt, " + ThreadRows.RESULT_COLUMNS + " FROM thread_results");
             PreparedStatement u = db.prepareStatement("UPDATE thread_results SET p50_ns = ?, p90_ns = ?, p99_ns = ?, p999_ns = ?,"
                     + " p9999_ns = ? WHERE scenario_id = ? AND attempt = ? AND thread = ?");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                ThreadResult t = ThreadRows.read(rs, 3);
                long[] p = ThreadRows.percentiles(t);
                for (int i = 0; i < p.length; i++) u.setLong(1 + i, p[i]);
                u.setLong(6, rs.getLong(1));
                u.setInt(7, rs.getInt(2));
                u.setInt(8, t.thread());
                u.addBatch();
            }
            u.executeBatch();
        }
    }

    /**
     * Schema 4. A run submitted as work for lab workers is {@code queued}; each of its scenarios
     * names its target and the host group it must not share with another running scenario, and
     * while a worker measures it, the worker's name, the group it holds on the worker's behalf and
     * until when (the database's clock, ms) the lease lasts unless renewed. Earlier runs are not
     * queued; their scenarios' targets are read from their dimensions when needed.
     */
    private static void v4(Connection db, SqlDialect d) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute("ALTER TABLE runs ADD COLUMN queued INTEGER NOT NULL DEFAULT 0");
            s.execute("ALTER TABLE scenarios ADD COLUMN target TEXT");
            s.execute("ALTER TABLE scenarios ADD COLUMN host_group TEXT");
            s.execute("ALTER TABLE scenarios ADD COLUMN lease_owner TEXT");
            s.execute("ALTER TABLE scenarios ADD COLUMN lease_group TEXT");
            s.execute("ALTER TABLE scenarios ADD COLUMN lease_until_ms BIGINT");
            s.execute("CREATE INDEX scenarios_by_status ON scenarios (status, run_id)");
        }
    }
}
