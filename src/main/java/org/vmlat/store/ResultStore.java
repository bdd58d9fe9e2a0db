package org.vmlat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.SqlDialects.Located;

/**
 * Runs, scenarios and per-thread results in a SQL database through JDBC, found by a store URL: a
 * SQLite file by default ({@code results.db} or {@code sqlite:results.db}). Every write is one
 * transaction, committed when it returns; histograms are HdrHistogram's compressed encoding.
 *
 * <p>The SQL here is portable; what differs between databases (generated keys, byte columns,
 * insert-unless-present, catalogue tables, journal and locking settings, error codes) is asked of
 * the store's {@link SqlDialect}. Adding a database is a new dialect class in this package and
 * one line in {@link SqlDialects}; nothing outside the store room changes.
 *
 * <p>A scenario may be measured more than once (interrupted, then resumed): each start is a new
 * attempt, and the results of every attempt are kept. A scenario's final results and its
 * {@code done} status are written in one transaction, so a store never holds finished results
 * marked as running.
 *
 * <p>The schema version lives in {@code vmlat_meta}. Opening for writing creates a new store or
 * brings an older one up to date through the numbered {@link Migrations}; a database that is not
 * a vmlat store, or has a newer schema, is refused without writing anything to it. Opening
 * read-only changes nothing and works on a store nobody may write.
 */
public final class ResultStore implements AutoCloseable {
    public static final int SCHEMA_VERSION = Migrations.LATEST;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How long a lost connection is tried again (server restarting, network cut) before an operation fails. */
    static final long RECONNECT_FOR_MS = Long.getLong("vmlat.storeReconnectMs", 120_000);

    private Connection db;
    private final Located at;
    private final SqlDialect dialect;
    private final String location;
    private final boolean readOnly;
    /** When set, every write to a scenario checks that this owner still holds its lease ({@link WorkQueue}). */
    private volatile String leaseOwner;
    /** The schema version the store had when opened read-only (an older one is left as it is). */
    private int schemaFound;

    private ResultStore(Connection db, Located at, boolean readOnly) {
        this.db = db;
        this.at = at;
        this.dialect = at.dialect();
        this.location = at.dialect().display(at.location());
        this.readOnly = readOnly;
    }

    public String location() {
        return location;
    }

    /** Whether other machines reach this store too (a database server rather than a file). */
    public boolean sharedByMachines() {
        return dialect.sharedByMachines();
    }

    /** Opens (creating or upgrading if needed) the store at a URL: a file path or {@code sqlite:PATH}. */
    public static ResultStore open(String url) {
        return connect(url, false);
    }

    /**
     * Opens an existing store only to read it: nothing is created or written (an older schema is
     * upgraded first when the store can be written, since this vmlat reads only its own).
     */
    public static ResultStore openReadOnly(String url) {
        ResultStore store = connect(url, true);
        if (store.schemaFound == SCHEMA_VERSION) return store;
        String older = store.location + " has store schema " + store.schemaFound + ", older than this vmlat's " + SCHEMA_VERSION;
        store.close();
        try {
            open(url).close();
        } catch (StoreException cannot) {
            throw new StoreException(older + "; upgrading it needs write access: " + cannot.getMessage(), cannot);
        }
        return connect(url, true);
    }

    /** Opens (creating if needed) a SQLite store file. */
    public static ResultStore openSqlite(Path file) {
        return open("sqlite:" + file);
    }

    private static ResultStore connect(String url, boolean readOnly) {
        Located at = SqlDialects.locate(url);
        Connection c = at.dialect().connect(at.location(), readOnly);
        ResultStore store = new ResultStore(c, at, readOnly);
        try {
            store.checkOrCreateSchema();
            return store;
        } catch (RuntimeException e) {
            // a refused store keeps nothing beside it (journal files go with the last connection)
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        } catch (SQLException e) {
            try {
                c.close();
            } catch (SQLException closing) {
                e.addSuppressed(closing);
            }
            throw store.fail(e);
        }
    }

    private void checkOrCreateSchema() throws SQLException {
        boolean hasMeta = false, hasOther = false;
        try (ResultSet rs = db.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (name.equals("vmlat_meta")) hasMeta = true;
                else if (!dialect.isCatalogueTable(name)) hasOther = true;
            }
        }
        if (!hasMeta && hasOther) throw new StoreException(location + " is a database but not a vmlat store; nothing was changed");
        if (hasMeta) {
            String format = meta("format");
            if (!"vmlat-store".equals(format)) {
                throw new StoreException(location + " is not a vmlat store (format " + format + "); nothing was changed");
            }
            int version = schemaVersion();
            if (version > SCHEMA_VERSION) {
                throw new StoreException(location + " has store schema " + version + ", newer than this vmlat (" + SCHEMA_VERSION
                        + "): upgrade vmlat; nothing was changed");
            }
            schemaFound = version;
            if (version == SCHEMA_VERSION || readOnly) return;
        } else {
            if (readOnly) throw new StoreException(location + " is an empty database, not a vmlat store yet (vmlat lab run fills it)");
            dialect.prepareNewStore(db);
        }
        migrate();
        schemaFound = SCHEMA_VERSION;
    }

    /**
     * Applies the migrations the store lacks, all in one transaction. The version is read again
     * inside it: another vmlat may have created or upgraded the store meanwhile, and every
     * transaction holds the write lock from its start.
     */
    private void migrate() {
        transaction(() -> {
            dialect.lockForSchemaChange(db);
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS vmlat_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL)");
                s.execute(dialect.insertUnlessPresent("vmlat_meta", "key, value", "'format', 'vmlat-store'"));
                s.execute(dialect.insertUnlessPresent("vmlat_meta", "key, value", "'schema_version', '0'"));
            }
            int from = schemaVersion();
            if (from > SCHEMA_VERSION) {
                throw new StoreException(location + " was just upgraded to store schema " + from + " by a newer vmlat: upgrade vmlat");
            }
            for (Migration m : Migrations.ALL) {
                if (m.version() > from) m.step().apply(db, dialect);
            }
            update("UPDATE vmlat_meta SET value = ? WHERE key = 'schema_version'", Integer.toString(SCHEMA_VERSION));
        });
    }

    private int schemaVersion() throws SQLException {
        String v = meta("schema_version");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new StoreException(location + " is not a vmlat store (schema version \"" + v + "\"); nothing was changed");
        }
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
        try {
            return insertRun(name, planFile, planText, system, tools, false);
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    /** Inserts a run, running from now; {@code queued}: its scenarios are work for lab workers. */
    long insertRun(String name, String planFile, String planText, Map<String, String> system, Map<String, String> tools, boolean queued)
            throws SQLException {
        try (PreparedStatement p = db.prepareStatement("INSERT INTO runs (name, plan_file, plan_text, status, started_ms, system_json, tools_json,"
                + " queued) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            p.setString(1, name);
            p.setString(2, planFile);
            p.setString(3, planText);
            p.setString(4, RunStatus.RUNNING.storedName());
            p.setLong(5, System.currentTimeMillis());
            p.setString(6, json(system));
            p.setString(7, json(tools));
            p.setInt(8, queued ? 1 : 0);
            p.executeUpdate();
            try (ResultSet rs = p.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public void setRunStatus(long runId, RunStatus status, boolean ended) {
        transaction(() -> {
            if (ended) update("UPDATE runs SET status = ?, ended_ms = ? WHERE id = ?", status.storedName(), System.currentTimeMillis(), runId);
            else update("UPDATE runs SET status = ? WHERE id = ?", status.storedName(), runId);
        });
    }

    private static final String SCENARIO_COUNTS = "(SELECT COUNT(*) FROM scenarios s WHERE s.run_id = r.id),"
            + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = r.id AND s.status = ?),"
            + " (SELECT COUNT(*) FROM scenarios s WHERE s.run_id = r.id AND s.status = ?)";

    public List<RunRecord> runs() {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT r.id, r.name, r.plan_file, r.status, r.started_ms, r.ended_ms, "
                + SCENARIO_COUNTS + " FROM runs r ORDER BY r.id")) {
            bindCounts(p, 1);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), null, RunStatus.fromStored(rs.getString(4)),
                            rs.getLong(5), rs.getLong(6), Map.of(), Map.of(), rs.getInt(7), rs.getInt(8), rs.getInt(9)));
                }
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    public RunRecord run(long runId) {
        return read(() -> readRun(runId));
    }

    private RunRecord readRun(long runId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT r.id, r.name, r.plan_file, r.plan_text, r.status, r.started_ms, r.ended_ms,"
                + " r.system_json, r.tools_json, " + SCENARIO_COUNTS + " FROM runs r WHERE r.id = ?")) {
            bindCounts(p, 1);
            p.setLong(3, runId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) throw new StoreException("no run " + runId + " in " + location + " (vmlat runs list shows the runs)");
                return new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), RunStatus.fromStored(rs.getString(5)),
                        rs.getLong(6), rs.getLong(7), map(rs.getString(8)), map(rs.getString(9)), rs.getInt(10), rs.getInt(11), rs.getInt(12));
            }
        }
    }

    private static void bindCounts(PreparedStatement p, int first) throws SQLException {
        p.setString(first, ScenarioStatus.DONE.storedName());
        p.setString(first + 1, ScenarioStatus.FAILED.storedName());
    }

    // ---- scenarios ----

    /** Records the expanded matrix of a run (idempotent: existing scenarios are kept). */
    public void addScenarios(long runId, List<Map<String, String>> dims) {
        transaction(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT INTO scenarios (run_id, idx, dims_json, status, attempt)"
                    + " SELECT ?, ?, ?, ?, 0 WHERE NOT EXISTS (SELECT 1 FROM scenarios WHERE run_id = ? AND idx = ?)")) {
                for (int i = 0; i < dims.size(); i++) {
                    p.setLong(1, runId);
                    p.setInt(2, i);
                    p.setString(3, json(dims.get(i)));
                    p.setString(4, ScenarioStatus.PENDING.storedName());
                    p.setLong(5, runId);
                    p.setInt(6, i);
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
    }

    public long scenarioId(long runId, int index) {
        return read(() -> {
            try (PreparedStatement p = db.prepareStatement("SELECT id FROM scenarios WHERE run_id = ? AND idx = ?")) {
                p.setLong(1, runId);
                p.setInt(2, index);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new StoreException("run " + runId + " has no scenario " + index);
                    return rs.getLong(1);
                }
            }
        });
    }

    /**
     * Starts a new attempt at a scenario: it is running from now, and the results of its earlier
     * attempts stay as they are.
     *
     * @return the number of the new attempt (1 for a scenario's first)
     */
    public int startScenario(long scenarioId, long durationNs, String probeCommand, String loadCommands) {
        int[] attempt = new int[1];
        transaction(() -> {
            checkLease(scenarioId);
            update("UPDATE scenarios SET status = ?, reason = NULL, started_ms = ?, ended_ms = NULL, duration_ns = ?,"
                    + " probe_command = ?, load_commands = ?, attempt = attempt + 1 WHERE id = ?",
                    ScenarioStatus.RUNNING.storedName(), System.currentTimeMillis(), durationNs, probeCommand, loadCommands, scenarioId);
            attempt[0] = attempt(scenarioId);
        });
        return attempt[0];
    }

    /** Stores the per-thread results of the scenario's current attempt: a snapshot ({@code fin} false) or the final ones. */
    public void saveThreads(long scenarioId, List<ThreadResult> threads, boolean fin) {
        transaction(() -> writeThreads(scenarioId, threads, fin));
    }

    /** Records how the scenario's current attempt ended, keeping the results stored so far. */
    public void finishScenario(long scenarioId, ScenarioStatus status, String reason, Map<String, String> settings, List<String> warnings,
                               boolean realtime) {
        transaction(() -> writeEnd(scenarioId, status, reason, settings, warnings, realtime));
    }

    /**
     * Stores the results of the scenario's current attempt and how it ended, in one transaction:
     * final when {@code status} is {@link ScenarioStatus#DONE}, kept as partial otherwise.
     */
    public void finishScenario(long scenarioId, ScenarioStatus status, String reason, Map<String, String> settings, List<String> warnings,
                               boolean realtime, List<ThreadResult> threads) {
        transaction(() -> {
            writeThreads(scenarioId, threads, status == ScenarioStatus.DONE);
            writeEnd(scenarioId, status, reason, settings, warnings, realtime);
        });
    }

    /**
     * Stores a scenario's end that was kept in a file because the store could not take it: the
     * results of the attempt it names (replacing that attempt's snapshot) and, when that attempt
     * is still the scenario's latest, how it ended; all in one transaction.
     *
     * @throws StoreException when the spill's run or scenario is not in this store
     */
    public void importSpill(Spill spill) {
        transaction(() -> {
            long id = scenarioId(spill.runId(), spill.scenarioIndex());
            writeIntervals(id, spill.attempt(), spill.intervals());
            writeThreads(id, spill.attempt(), spill.threads(), spill.status() == ScenarioStatus.DONE);
            if (attempt(id) == spill.attempt()) {
                writeEnd(id, spill.status(), spill.reason(), spill.settings(), spill.warnings(), spill.realtime());
            }
        });
    }

    /** The folder beside the store where results it could not take are kept ({@code FILE.spill}), if the store is a file. */
    public Optional<Path> spillFolder() {
        return dialect.file(location).map(f -> f.resolveSibling(f.getFileName() + ".spill"));
    }

    private void writeThreads(long scenarioId, List<ThreadResult> threads, boolean fin) throws SQLException {
        checkLease(scenarioId);
        writeThreads(scenarioId, attempt(scenarioId), threads, fin);
    }

    private void writeThreads(long scenarioId, int attempt, List<ThreadResult> threads, boolean fin) throws SQLException {
        if (!fin && hasFinalResults(scenarioId, attempt)) return; // a late snapshot never replaces final results
        try (PreparedStatement del = db.prepareStatement("DELETE FROM thread_results WHERE scenario_id = ? AND attempt = ?");
             PreparedStatement ins = db.prepareStatement(ThreadRows.insert())) {
            del.setLong(1, scenarioId);
            del.setInt(2, attempt);
            del.executeUpdate();
            for (ThreadResult t : threads) {
                ThreadRows.bind(ins, scenarioId, attempt, fin, t);
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    private void writeEnd(long scenarioId, ScenarioStatus status, String reason, Map<String, String> settings, List<String> warnings,
                          boolean realtime) throws SQLException {
        checkLease(scenarioId);
        update("UPDATE scenarios SET status = ?, reason = ?, ended_ms = ?, settings_json = ?, warnings_json = ?, realtime = ? WHERE id = ?",
                status.storedName(), reason, System.currentTimeMillis(), json(settings), json(warnings), realtime ? 1 : 0, scenarioId);
    }

    /**
     * Writes on behalf of a lab worker from now on: every write to a scenario first checks, with
     * the scenario's row locked, that {@code owner} still holds its lease, and fails with
     * {@link LeaseLostException} otherwise (the lease expired and another worker took the
     * scenario). Null: no check (a single-machine lab run).
     */
    public void writeAsLeaseOwner(String owner) {
        this.leaseOwner = owner;
    }

    private void checkLease(long scenarioId) throws SQLException {
        String owner = leaseOwner;
        if (owner == null) return;
        try (PreparedStatement p = db.prepareStatement("SELECT lease_owner FROM scenarios WHERE id = ?" + dialect.lockingRead())) {
            p.setLong(1, scenarioId);
            try (ResultSet rs = p.executeQuery()) {
                String holder = rs.next() ? rs.getString(1) : null;
                if (!owner.equals(holder)) {
                    throw new LeaseLostException("scenario " + scenarioId + " is no longer leased to " + owner
                            + (holder == null ? "" : " (now " + holder + ")") + ": its lease expired and another worker took it");
                }
            }
        }
    }

    private boolean hasFinalResults(long scenarioId, int attempt) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT COUNT(*) FROM thread_results WHERE scenario_id = ? AND attempt = ? AND final = 1")) {
            p.setLong(1, scenarioId);
            p.setInt(2, attempt);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    private int attempt(long scenarioId) throws SQLException {
        try (PreparedStatement p = db.prepareStatement("SELECT attempt FROM scenarios WHERE id = ?")) {
            p.setLong(1, scenarioId);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) throw new StoreException(location + ": no scenario with id " + scenarioId);
                return rs.getInt(1);
            }
        }
    }

    /**
     * Adds the worst samples of finished intervals to the scenario's current attempt (an interval
     * already stored is kept as it is).
     */
    public void saveIntervals(long scenarioId, List<IntervalMax> intervals) {
        if (intervals.isEmpty()) return;
        transaction(() -> {
            checkLease(scenarioId);
            writeIntervals(scenarioId, attempt(scenarioId), intervals);
        });
    }

    private void writeIntervals(long scenarioId, int attempt, List<IntervalMax> intervals) throws SQLException {
        try (PreparedStatement ins = db.prepareStatement(dialect.insertUnlessPresent("interval_maxima",
                "scenario_id, attempt, thread, cpu, start_ms, end_ms, count, max_ns", "?, ?, ?, ?, ?, ?, ?, ?"))) {
            for (IntervalMax m : intervals) {
                ins.setLong(1, scenarioId);
                ins.setInt(2, attempt);
                ins.setInt(3, m.thread());
                ins.setInt(4, m.cpu());
                ins.setLong(5, m.startMs());
                ins.setLong(6, m.endMs());
                ins.setLong(7, m.count());
                ins.setLong(8, m.maxNs());
                ins.addBatch();
            }
            ins.executeBatch();
        }
    }

    /** The interval maxima of a scenario's latest attempt, by thread and time; empty for runs stored before schema 3. */
    public List<IntervalMax> intervals(long scenarioId) {
        List<IntervalMax> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT thread, cpu, start_ms, end_ms, count, max_ns FROM interval_maxima"
                + " WHERE scenario_id = ? AND attempt = ? ORDER BY thread, start_ms")) {
            p.setLong(1, scenarioId);
            p.setInt(2, attempt(scenarioId));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new IntervalMax(rs.getInt(1), rs.getInt(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    /** Every scenario of a run with the per-thread summaries of its latest attempt (no histograms: see {@link #threadResults}). */
    public List<ScenarioRecord> scenarios(long runId) {
        run(runId); // existence check with a helpful message
        return read(() -> readScenarios(runId));
    }

    private List<ScenarioRecord> readScenarios(long runId) throws SQLException {
        List<ScenarioRecord> out = new ArrayList<>();
        Map<Long, List<ThreadSummary>> threads = new TreeMap<>();
        try (PreparedStatement p = db.prepareStatement("SELECT t.scenario_id, t.thread, t.cpu, t.interval_ns, t.resolution_ns, t.count, t.min_ns,"
                + " t.max_ns, t.sum_ns, t.overruns, t.overflows, t.p50_ns, t.p90_ns, t.p99_ns, t.p999_ns, t.p9999_ns FROM thread_results t"
                + " JOIN scenarios s ON s.id = t.scenario_id AND s.attempt = t.attempt WHERE s.run_id = ? ORDER BY t.scenario_id, t.thread")) {
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
                        out.add(new ScenarioRecord(id, rs.getLong(2), rs.getInt(3), map(rs.getString(4)), ScenarioStatus.fromStored(rs.getString(5)),
                                rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getString(10), rs.getString(11),
                                map(rs.getString(12)), list(rs.getString(13)), rs.getInt(14) == 1, threads.getOrDefault(id, List.of())));
                    }
                }
            }
        }
        return out;
    }

    /** Every attempt at a scenario that stored results, oldest first. */
    public List<Attempt> attempts(long scenarioId) {
        List<Attempt> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT attempt, MIN(final), SUM(count) FROM thread_results WHERE scenario_id = ?"
                + " GROUP BY attempt ORDER BY attempt")) {
            p.setLong(1, scenarioId);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(new Attempt(rs.getInt(1), rs.getInt(2) == 1, rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw fail(e);
        }
        return out;
    }

    /** The full per-thread results of a scenario's latest attempt, histograms and spikes included. */
    public List<ThreadResult> threadResults(long scenarioId) {
        try {
            return threadResults(scenarioId, attempt(scenarioId));
        } catch (SQLException e) {
            throw fail(e);
        }
    }

    /** The full per-thread results of one attempt at a scenario. */
    public List<ThreadResult> threadResults(long scenarioId, int attempt) {
        List<ThreadResult> out = new ArrayList<>();
        try (PreparedStatement p = db.prepareStatement("SELECT " + ThreadRows.RESULT_COLUMNS
                + " FROM thread_results WHERE scenario_id = ? AND attempt = ? ORDER BY thread")) {
            p.setLong(1, scenarioId);
            p.setInt(2, attempt);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(ThreadRows.read(rs, 1));
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

    // ---- transactions and errors ----

    interface Work {
        void run() throws SQLException;
    }

    interface Query<T> {
        T get() throws SQLException;
    }

    /** The open connection, for the other classes of the store room inside {@link #transaction} or {@link #read}. */
    Connection connection() {
        return db;
    }

    SqlDialect dialect() {
        return dialect;
    }

    /**
     * Reads outside a transaction; a lost connection is opened again and the read repeated for up
     * to {@link #RECONNECT_FOR_MS}.
     */
    synchronized <T> T read(Query<T> query) {
        long giveUp = System.currentTimeMillis() + RECONNECT_FOR_MS;
        for (int tries = 1; ; tries++) {
            try {
                return query.get();
            } catch (SQLException e) {
                if (!dialect.connectionLost(e) || System.currentTimeMillis() > giveUp) throw fail(e);
                reconnect(tries, giveUp, e);
            }
        }
    }

    /**
     * Opens a new connection after the old one was lost, waiting a little longer after each
     * failed try (the server may be restarting).
     */
    private void reconnect(int tries, long giveUp, SQLException lost) {
        try {
            db.close();
        } catch (SQLException ignored) {
            // it is gone already
        }
        long pauseMs = Math.min(2000, 100L << Math.min(tries, 5));
        while (true) {
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw fail(lost);
            }
            try {
                db = dialect.connect(at.location(), readOnly);
                return;
            } catch (StoreException e) {
                boolean transientFailure = e.getCause() instanceof SQLException s && dialect.connectionLost(s);
                if (!transientFailure || System.currentTimeMillis() > giveUp) throw e;
                pauseMs = Math.min(2000, pauseMs * 2);
            }
        }
    }

    /**
     * Runs the statements as one transaction: all of them are committed, or none. A failure is
     * reported as it happened: a rollback that fails in turn (the database may have rolled back
     * by itself, e.g. on a full disk) does not hide it. One transaction at a time per store: the
     * lab's snapshot and its runner share the connection.
     */
    synchronized void transaction(Work work) {
        long giveUp = System.currentTimeMillis() + RECONNECT_FOR_MS;
        for (int tries = 1; ; tries++) {
            try {
                transactionOnce(work);
                return;
            } catch (StoreException e) {
                // the connection was lost (server restarted, network cut): the transaction was rolled back, or
                // committed with the acknowledgement lost; every transaction here may run again with the same result
                boolean lost = e.getCause() instanceof SQLException s && dialect.connectionLost(s);
                if (!lost || System.currentTimeMillis() > giveUp) throw e;
                reconnect(tries, giveUp, (SQLException) e.getCause());
            }
        }
    }

    private void transactionOnce(Work work) {
        try {
            db.setAutoCommit(false);
        } catch (SQLException e) {
            throw fail(e);
        }
        Exception failure = null;
        try {
            work.run();
            db.commit();
        } catch (SQLException | RuntimeException e) {
            failure = e;
            try {
                db.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException e) {
                if (failure == null) failure = e;
                else failure.addSuppressed(e);
            }
        }
        if (failure instanceof SQLException e) throw fail(e);
        if (failure instanceof RuntimeException e) throw e;
    }

    private void update(String sql, Object... args) throws SQLException {
        try (PreparedStatement p = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) p.setObject(i + 1, args[i]);
            p.executeUpdate();
        }
    }

    StoreException fail(SQLException e) {
        String why = dialect.explain(e, at.location());
        return new StoreException(location + ": " + (why == null ? e.getMessage() : why), e, dialect.isDiskFull(e));
    }

    // ---- encoding ----

    static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> map(String text) {
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
}
