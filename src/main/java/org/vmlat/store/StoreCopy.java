package org.vmlat.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Copies runs from one store to another, whatever their databases (a SQLite file into the
 * shared PostgreSQL lab, a lab's run into a file): every column of the run, its scenarios and
 * every attempt's per-thread results and interval maxima is written as read, histograms byte for byte. The copies get
 * new ids in the target store; each run is copied in one transaction there, so a failed copy
 * leaves nothing half-copied. Both stores are at this vmlat's schema (opening them sees to that).
 */
public final class StoreCopy {
    private StoreCopy() {}

    /**
     * Copies the runs (all of {@code from}'s when {@code runIds} is empty), oldest first.
     *
     * @return each copied run's id in {@code from} and the id of its copy in {@code to}
     */
    public static Map<Long, Long> copy(ResultStore from, ResultStore to, List<Long> runIds) {
        List<Long> ids = new ArrayList<>(runIds);
        if (ids.isEmpty()) from.runs().forEach(r -> ids.add(r.id()));
        else ids.forEach(from::run); // a wrong id is named before anything is copied
        Map<Long, Long> copied = new LinkedHashMap<>();
        for (long id : ids) copied.put(id, copyRun(from, to, id));
        return copied;
    }

    private static long copyRun(ResultStore from, ResultStore to, long runId) {
        List<Map<String, Object>> run = rows(from, "SELECT * FROM runs WHERE id = ?", runId);
        List<Map<String, Object>> scenarios = rows(from, "SELECT * FROM scenarios WHERE run_id = ? ORDER BY idx", runId);
        List<Map<String, Object>> threads = rows(from, "SELECT t.* FROM thread_results t JOIN scenarios s ON s.id = t.scenario_id"
                + " WHERE s.run_id = ? ORDER BY t.scenario_id, t.attempt, t.thread", runId);
        List<Map<String, Object>> maxima = rows(from, "SELECT m.* FROM interval_maxima m JOIN scenarios s ON s.id = m.scenario_id"
                + " WHERE s.run_id = ? ORDER BY m.scenario_id, m.attempt, m.thread, m.start_ms", runId);
        long[] newRun = new long[1];
        to.transaction(() -> {
            newRun[0] = insert(to, "runs", run.get(0), Map.of());
            Map<Long, Long> scenarioIds = new LinkedHashMap<>();
            for (Map<String, Object> s : scenarios) {
                long old = ((Number) s.get("id")).longValue();
                scenarioIds.put(old, insert(to, "scenarios", s, Map.of("run_id", newRun[0])));
            }
            for (Map<String, Object> t : threads) {
                insert(to, "thread_results", t, Map.of("scenario_id", scenarioIds.get(((Number) t.get("scenario_id")).longValue())));
            }
            for (Map<String, Object> m : maxima) {
                insert(to, "interval_maxima", m, Map.of("scenario_id", scenarioIds.get(((Number) m.get("scenario_id")).longValue())));
            }
        });
        return newRun[0];
    }

    /** Every column of the rows a query returns, by lower-case column name. */
    private static List<Map<String, Object>> rows(ResultStore store, String sql, long id) {
        return store.read(() -> {
            List<Map<String, Object>> out = new ArrayList<>();
            try (PreparedStatement p = store.connection().prepareStatement(sql)) {
                p.setLong(1, id);
                try (ResultSet rs = p.executeQuery()) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        for (int c = 1; c <= md.getColumnCount(); c++) row.put(md.getColumnLabel(c).toLowerCase(Locale.ROOT), rs.getObject(c));
                        out.add(row);
                    }
                }
            }
            return out;
        });
    }

    /**
     * Inserts a row with its columns as read, {@code replaced} ones with new values, and a new
     * {@code id} when the table has one; returns that id (0 for a table without).
     */
    private static long insert(ResultStore to, String table, Map<String, Object> row, Map<String, Object> replaced) throws SQLException {
        boolean generated = row.containsKey("id");
        List<String> columns = new ArrayList<>();
        for (String c : row.keySet()) if (!c.equals("id")) columns.add(c);
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES ("
                + String.join(", ", Collections.nCopies(columns.size(), "?")) + ")";
        try (PreparedStatement p = generated ? to.connection().prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)
                : to.connection().prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                Object v = replaced.containsKey(columns.get(i)) ? replaced.get(columns.get(i)) : row.get(columns.get(i));
                if (v instanceof byte[] bytes) p.setBytes(i + 1, bytes);
                else if (v instanceof Number n && !(v instanceof Double || v instanceof Float)) p.setLong(i + 1, n.longValue());
                else p.setObject(i + 1, v);
            }
            p.executeUpdate();
            if (!generated) return 0;
            try (ResultSet rs = p.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
