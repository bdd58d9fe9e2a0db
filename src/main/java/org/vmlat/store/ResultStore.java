package org.vmlat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;

/**
 * Runs, scenarios and per-thread results in a SQL database through JDBC: a SQLite file by default
 * (WAL journal and a busy timeout, so several vmlat processes can write one file), with plain SQL
 * that PostgreSQL also accepts so that a shared lab is a change of URL. Every result is committed
 * when it is written; histograms are HdrHistogram's compressed encoding.
 *
 * <p>Schema versions live in {@code vmlat_meta}; {@link #open} creates a new store, migrates an
 * older one, and refuses a database that is not a vmlat store or has a newer schema, without
 * writing anything to it.
 */
public final class ResultStore implements AutoCloseable {
    public static final int SCHEMA_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] SQLITE_MAGIC = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Connection db;
    private final String location;

    private ResultStore(Connection db, String location) {
        this.db = db;
        this.location = location;
    }

    public String location() {
        return location;
    }

    /** Opens (creating if needed) a SQLite store file. */
    public static ResultStore openSqlite(Path file) {
        try {
            if (Files.exists(file)) {
                byte[] head = new byte[16];
                int n;
                try (var in = Files.newInputStream(file)) {
                    n = in.readNBytes(head, 0, 16);
                }
                if (n > 0 && (n < 16 || !java.util.Arrays.equals(head, SQLITE_MAGIC))) {
                    throw new StoreException(file + " is not a vmlat store (not an SQLite database); nothing was changed");
                }
            } else if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = 30000");
                s.execute("PRAGMA foreign_keys = ON");
            }
            ResultStore store = new ResultStore(c, file.toString());
            store.checkOrCreateSchema(true);
            return store;
        } catch (SQLException | java.io.IOException e) {
            throw new StoreException(file + ": " + e.getMessage(), e);
        }
    }

    private void checkOrCreateSchema(boolean sqlite) throws SQLException {
        boolean hasMeta, hasOther;
        try (ResultSet rs = db.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            hasMeta = false;
            hasOther = false;
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT);
                if (name.equals("vmlat_meta")) hasMeta = true;
                else if (!name.startsWith("sqlite_")) hasOther = true;
            }
        }
        if (!hasMeta && hasOther) {
            throw new StoreException(location + " is a database but not a vmlat store; nothing was changed");
        }
        if (hasMeta) {
            String format = meta("format");
            if (!"vmlat-store".equals(format)) throw new StoreException(location + " is not a vmlat store (format " + format + "); nothing was changed");
            int version = Integer.parseInt(meta("schema_version"));
            if (version > SCHEMA_VERSION) {
                throw new StoreException(location + " has store schema " + version + ", newer than this vmlat (" + SCHEMA_VERSION
                        + "): upgrade vmlat; nothing was changed");
            }
            migrate(version);
            return;
        }
        if (sqlite) {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
            }
        }
        db.setAutoCommit(false);
        try (Statement s = db.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS vmlat_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, plan_file TEXT, plan_text TEXT,"
                    + " status VARCHAR(16) NOT NULL, started_ms BIGINT, ended_ms BIGINT, system_json TEXT, tools_json TEXT)");
            s.execute("CREATE TABLE IF NOT EXISTS scenarios (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),"
                    + " idx INTEGER NOT NULL, dims_json TEXT NOT NULL, status VARCHAR(16) NOT NULL, reason TEXT,"
                    + " started_ms BIGINT, ended_ms BIGINT, duration_ns BIGINT, probe_command TEXT, load_commands TEXT,"
                    + " settings_json TEXT, warnings_json TEXT, realtime INTEGER, UNIQUE (run_id, idx))");
            s.execute("CREATE TABLE IF NOT EXISTS thread_results (scenario_id INTEGER NOT NULL REFERENCES scenarios(id), thread INTEGER NOT NULL,"
                    + " cpu INTEGER, interval_ns BIGINT, resolution_ns BIGINT, count BIGINT, min_ns BIGINT, max_ns BIGINT,"
                    + " sum_ns BIGINT, overruns BIGINT, overflows BIGINT, p50_ns BIGINT, p90_ns BIGINT, p99_ns BIGINT, p999_ns BIGINT,"
                    + " p9999_ns BIGINT, histogram BLOB, spikes_json TEXT, final INTEGER NOT NULL, PRIMARY KEY (scenario_id, thread))");
            // two vmlat processes may create a new store at once: every statement is idempotent
            s.execute("INSERT OR IGNORE INTO vmlat_meta VALUES ('format', 'vmlat-store')");
            s.execute("INSERT OR IGNORE INTO vmlat_meta VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
            db.commit();
        } catch (SQLException e) {
            db.rollback();
            throw e;
        } finally {
            db.setAutoCommit(true);
        }
    }

    /** Brings an older schema up to date; version 1 is the first, so there is nothing to do yet. */
    private void migrate(int from) {
        if (from < 1) throw new StoreException(location + ": unknown store schema " + from);
    }

    private String meta(String key) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT value FROM vmlat_meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    // ---- runs ----

    public long createRun(String name, String planFile, String planText, Map<String, String> system, Map<String, String> tools) {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO runs (name, plan_file, plan_text, status, started_ms, system_json, tools_json)"
                + " VALUES (?, ?, ?, 'running', ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, name);
            p.setString(2, planFile);
            p.setString(3, planText);
            p.setLong(4, System.currentTimeMillis());
            p.setString(5, json(system));
            p.setString(6, json(tools));
            p.executeUpdate();
            try (ResultSet rs = p.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    public void setRunStatus(long runId, String status, boolean ended) {
        update("UPDATE runs SET status = ?" + (ended ? ", ended_ms = " + System.currentTimeMillis() : "") + " WHERE id = ?", status, runId);
    }

    public List<RunRecord> runs() {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT r.id, r.name, r.plan_file, r.status, r.started_ms, r.ended_ms,"
                + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = r.id),"
                + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = r.id AND s.status = 'done'),"
                + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = r.id AND s.status = 'failed')"
                + " FROM runs r ORDER BY r.id"); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), null, rs.getString(4), rs.getLong(5),
                        rs.getLong(6), Map.of(), Map.of(), rs.getInt(7), rs.getInt(8), rs.getInt(9)));
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    public RunRecord run(long runId) {
        try (PreparedStatement p = db.prepareStatement("SELECT id, name, plan_file, plan_text, status, started_ms, ended_ms, system_json, tools_json,"
                + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = runs.id),"
                + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = runs.id AND s.status = 'done'),"
                + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = runs.id AND s.status = 'failed')"
                + " FROM runs WHERE id = ?")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) throw new StoreException("no run " + runId + " in " + location + " (vmlat runs list shows the runs)");
                return new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6),
                        rs.getLong(7), map(rs.getString(8)), map(rs.getString(9)), rs.getInt(10), rs.getInt(11), rs.getInt(12));
            }
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    // ---- scenarios ----

    /** Records the expanded matrix of a run (idempotent: existing scenarios are kept). */
    public void addScenarios(long runId, List<Map<String, String>> dims) {
        transaction(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO scenarios (run_id, idx, dims_json, status) SELECT ?, ?, ?, 'pending'"
                    + " WHERE NOT EXISTS (SELECT 1 FROM scenarios WHERE run_id = ? AND idx = ?)")) {
                for (int i = 0; i < dims.size(); i++) {
                    p.setLong(1, runId);
                    p.setInt(2, i);
                    p.setString(3, json(dims.get(i)));
                    p.setLong(4, runId);
                    p.setInt(5, i);
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
    }

    private interface Work {
        void run() throws SQLException;
    }

    /** Runs the statements as one transaction: all of them are committed, or none. */
    private void transaction(Work work) {
        try {
            db.setAutoCommit(false);
            try {
                work.run();
                db.commit();
            } catch (SQLException e) {
                db.rollback();
                throw e;
            } finally {
                db.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    public long scenarioId(long runId, int index) {
        try (PreparedStatement p = db.prepareStatement("SELECT id FROM scenarios WHERE run_id = ? AND idx = ?")) {
            p.setLong(1, runId);
            p.setInt(2, index);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) throw new StoreException("run " + runId + " has no scenario " + index);
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    public void startScenario(long scenarioId, long durationNs, String probeCommand, String loadCommands) {
        update("UPDATE scenarios SET status = 'running', reason = NULL, started_ms = ?, ended_ms = NULL, duration_ns = ?,"
                + " probe_command = ?, load_commands = ? WHERE id = ?", System.currentTimeMillis(), durationNs, probeCommand, loadCommands, scenarioId);
        update("DELETE FROM thread_results WHERE scenario_id = ?", scenarioId);
    }

    /** Stores per-thread results: a snapshot while running ({@code fin} false) or the final ones. */
    public void saveThreads(long scenarioId, List<ThreadResult> threads, boolean fin) {
        transaction(() -> {
            try (PreparedStatement del = db.prepareStatement("DELETE FROM thread_results WHERE scenario_id = ?");
                 PreparedStatement ins = db.prepareStatement("INSERT INTO thread_results (scenario_id, thread, cpu, interval_ns, resolution_ns,"
                         + " count, min_ns, max_ns, sum_ns, overruns, overflows, p50_ns, p90_ns, p99_ns, p999_ns, p9999_ns, histogram,"
                         + " spikes_json, final) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                del.setLong(1, scenarioId);
                del.executeUpdate();
                for (ThreadResult t : threads) {
                    ins.setLong(1, scenarioId);
                    ins.setInt(2, t.thread());
                    ins.setInt(3, t.cpu());
                    ins.setLong(4, t.intervalNs());
                    ins.setLong(5, t.resolutionNs());
                    ins.setLong(6, t.count());
                    ins.setLong(7, t.minNs());
                    ins.setLong(8, t.maxNs());
                    ins.setLong(9, t.sumNs());
                    ins.setLong(10, t.overruns());
                    ins.setLong(11, t.histogramOverflows());
                    ThreadSummary sum = ThreadSummary.of(t);
                    ins.setLong(12, sum.p50Ns());
                    ins.setLong(13, sum.p90Ns());
                    ins.setLong(14, sum.p99Ns());
                    ins.setLong(15, sum.p999Ns());
                    ins.setLong(16, sum.p9999Ns());
                    ins.setBytes(17, encode(t.histogram()));
                    ins.setString(18, spikes(t.spikes()));
                    ins.setInt(19, fin ? 1 : 0);
                    ins.addBatch();
                }
                ins.executeBatch();
            }
        });
    }

    public void finishScenario(long scenarioId, String status, String reason, Map<String, String> settings, List<String> warnings, boolean realtime) {
        update("UPDATE scenarios SET status = ?, reason = ?, ended_ms = ?, settings_json = ?, warnings_json = ?, realtime = ? WHERE id = ?",
                status, reason, System.currentTimeMillis(), json(settings), json(warnings), realtime ? 1 : 0, scenarioId);
    }

    /** Every scenario of a run with per-thread summaries (no histograms: see {@link #threadResults}). */
    public List<ScenarioRecord> scenarios(long runId) {
        run(runId); // existence check with a helpful message
        List<ScenarioRecord> out = new ArrayList<>();
        Map<Long, List<ThreadSummary>> threads = new TreeMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT t.scenario_id, t.thread, t.cpu, t.interval_ns, t.resolution_ns, t.count, t.min_ns,"
                + " t.max_ns, t.sum_ns, t.overruns, t.overflows, t.p50_ns, t.p90_ns, t.p99_ns, t.p999_ns, t.p9999_ns FROM thread_results t"
                + " JOIN scenarios s ON s.id = t.scenario_id WHERE s.run_id = ? ORDER BY t.scenario_id, t.thread")) {
            p.setLong(1, runId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    threads.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new ThreadSummary(rs.getInt(2), rs.getInt(3),
                            rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                            rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getLong(16)));
                }
            }
            try (PreparedStatement q = db.prepareStatement("SELECT id, run_id, idx, dims_json, status, reason, started_ms, ended_ms, duration_ns,"
                    + " probe_command, load_commands, settings_json, warnings_json, realtime FROM scenarios WHERE run_id = ? ORDER BY idx")) {
                q.setLong(1, runId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        long id = rs.getLong(1);
                        out.add(new ScenarioRecord(id, rs.getLong(2), rs.getInt(3), map(rs.getString(4)), rs.getString(5), rs.getString(6),
                                rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getString(11), map(rs.getString(12)),
                                list(rs.getString(13)), rs.getInt(14) == 1, threads.getOrDefault(id, List.of())));
                    }
                }
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    /** The full per-thread results of one scenario, histograms and spikes included. */
    public List<ThreadResult> threadResults(long scenarioId) {
        List<ThreadResult> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT thread, cpu, interval_ns, resolution_ns, count, min_ns, max_ns, sum_ns, overruns,"
                + " overflows, histogram, spikes_json FROM thread_results WHERE scenario_id = ? ORDER BY thread")) {
            p.setLong(1, scenarioId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new ThreadResult(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10), decode(rs.getBytes(11)), spikes(rs.getString(12))));
                }
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    // ---- encoding ----

    static byte[] encode(AbstractHistogram h) {
        return LatencyHistograms.encode(h);
    }

    static AbstractHistogram decode(byte[] bytes) {
        try {
            return LatencyHistograms.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt histogram in the store: " + e.getMessage(), e);
        }
    }

    private static String spikes(List<Spike> spikes) {
        List<long[]> l = new ArrayList<>();
        for (Spike s : spikes) l.add(new long[] {s.latencyNs(), s.cycle(), s.expectedNs()});
        return json(l);
    }

    private static List<Spike> spikes(String text) {
        if (text == null) return List.of();
        try {
            List<long[]> l = JSON.readValue(text, new TypeReference<List<long[]>>() {});
            List<Spike> out = new ArrayList<>();
            for (long[] a : l) out.add(new Spike(a[0], a[1], a[2]));
            return out;
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt spikes in the store: " + e.getMessage(), e);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> map(String text) {
        if (text == null) return Map.of();
        try {
            return JSON.readValue(text, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt map in the store: " + e.getMessage(), e);
        }
    }

    private static List<String> list(String text) {
        if (text == null) return List.of();
        try {
            return JSON.readValue(text, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt list in the store: " + e.getMessage(), e);
        }
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
            p.executeUpdate();
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    private StoreException fail(SQLException e) {
        return new StoreException(location + ": " + e.getMessage(), e);
    }
}
