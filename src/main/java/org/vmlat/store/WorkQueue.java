package org.vmlat.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lab's work queue in the store: a submitted run's scenarios are rows that lab workers on
 * any number of machines claim, one at a time each, and measure.
 *
 * <p>A claim takes a scenario that is pending, partial (its worker was stopped), or running with
 * a lease that expired (its worker died or lost the database), and gives it to the worker with a
 * lease until the database's clock reaches {@code now + leaseMs}. The worker renews the lease
 * while it measures ({@link #renew}); a worker killed outright stops renewing and its scenario can
 * be claimed again once the lease has run out. What the dead worker's attempt stored stays as an
 * attempt that did not finish.
 *
 * <p>Claims do not wait for each other: candidate rows are read with {@code FOR UPDATE SKIP
 * LOCKED} (where the database has it), so two workers never take the same scenario and never
 * queue behind each other. A scenario's host group is the physical machine it measures on: no two
 * scenarios of one group are leased at once, in any run. The group is checked after taking a lock
 * named by the group that lasts until the claim commits, so two claims for one group at the same
 * moment cannot both see it free.
 */
public final class WorkQueue {
    /** The host group of scenarios that measure on the machine of whichever worker runs them. */
    public static final String WORKER_MACHINE = "@worker";
    private static final int CANDIDATES = 64;

    /**
     * One scenario to queue.
     *
     * @param hostGroup the physical machine it measures on; {@link #WORKER_MACHINE} for the worker's own
     */
    public record Work(Map<String, String> dims, String target, String hostGroup) {
        public Work {
            if (target == null || target.isBlank()) throw new IllegalArgumentException("target: must be named");
            if (hostGroup == null || hostGroup.isBlank()) throw new IllegalArgumentException("hostGroup: must be named");
            dims = Map.copyOf(dims);
        }
    }

    /** A scenario a worker now holds; {@code group} is the host group it holds with it. */
    public record Claim(long runId, long scenarioId, int index, String target, String group) {}

    /**
     * Where one scenario of a queued run stands.
     *
     * @param owner       the worker that holds or last held it, null if none ever did
     * @param leaseLeftMs how long its lease lasts without renewal (negative: expired), meaningful while running
     */
    public record Item(int index, String target, ScenarioStatus status, String owner, long startedMs, long leaseLeftMs, int attempt,
                       String reason) {}

    private final ResultStore store;

    public WorkQueue(ResultStore store) {
        this.store = store;
    }

    /** Stores a run and its scenarios as pending work, in one transaction; returns the run's id. */
    public long submit(String name, String planFile, String planText, Map<String, String> system, Map<String, String> tools,
                       List<Work> work) {
        long[] id = new long[1];
        store.transaction(() -> {
            id[0] = store.insertRun(name, planFile, planText, system, tools, true);
            try (PreparedStatement p = db().prepareStatement("INSERT INTO scenarios (run_id, idx, dims_json, status, attempt, target, host_group)"
                    + " VALUES (?, ?, ?, ?, 0, ?, ?)")) {
                for (int i = 0; i < work.size(); i++) {
                    Work w = work.get(i);
                    p.setLong(1, id[0]);
                    p.setInt(2, i);
                    p.setString(3, ResultStore.json(w.dims()));
                    p.setString(4, ScenarioStatus.PENDING.storedName());
                    p.setString(5, w.target());
                    p.setString(6, w.hostGroup());
                    p.addBatch();
                }
                p.executeBatch();
            }
        });
        return id[0];
    }

    /** Queued runs still running (work may be left), oldest first. */
    public List<Long> openRuns() {
        return store.read(() -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement p = db().prepareStatement("SELECT id FROM runs WHERE queued = 1 AND status = ? ORDER BY id")) {
                p.setString(1, RunStatus.RUNNING.storedName());
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /**
     * Claims one scenario of a run that {@code owner} can serve: of one of {@code targets}, whose
     * host group is free. A scenario already leased to {@code owner} (a claim whose
     * acknowledgement was lost with the connection) is returned again first.
     *
     * @param machineGroup the host group that stands for this worker's machine
     */
    public Optional<Claim> claim(long runId, String owner, Collection<String> targets, String machineGroup, long leaseMs) {
        if (targets.isEmpty()) return Optional.empty();
        @SuppressWarnings("unchecked")
        Optional<Claim>[] out = new Optional[] {Optional.empty()};
        SqlDialect d = store.dialect();
        store.transaction(() -> {
            out[0] = Optional.empty();
            try (PreparedStatement p = db().prepareStatement("SELECT id, idx, target, lease_group FROM scenarios WHERE run_id = ? AND lease_owner = ?"
                    + " AND status = ? AND lease_until_ms >= " + d.nowMs())) {
                p.setLong(1, runId);
                p.setString(2, owner);
                p.setString(3, ScenarioStatus.RUNNING.storedName());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        out[0] = Optional.of(new Claim(runId, rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4)));
                        return;
                    }
                }
            }
            Set<String> busy = busyGroups();
            String in = String.join(", ", Collections.nCopies(targets.size(), "?"));
            List<Object[]> candidates = new ArrayList<>();
            try (PreparedStatement p = db().prepareStatement("SELECT id, idx, target, host_group FROM scenarios WHERE run_id = ?"
                    + " AND (status IN (?, ?) OR (status = ? AND lease_until_ms < " + d.nowMs() + ")) AND target IN (" + in + ")"
                    + " ORDER BY idx LIMIT " + CANDIDATES + d.lockingReadSkipLocked())) {
                p.setLong(1, runId);
                p.setString(2, ScenarioStatus.PENDING.storedName());
                p.setString(3, ScenarioStatus.PARTIAL.storedName());
                p.setString(4, ScenarioStatus.RUNNING.storedName());
                int i = 5;
                for (String t : targets) p.setString(i++, t);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) candidates.add(new Object[] {rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4)});
                }
            }
            Set<String> tried = new HashSet<>();
            for (Object[] c : candidates) {
                String group = WORKER_MACHINE.equals(c[3]) ? machineGroup : (String) c[3];
                if (busy.contains(group) || !tried.add(group)) continue;
                if (!d.tryLockUntilCommit(db(), "vmlat host group " + group)) continue;
                // with the group's lock held, a claim that committed before sees its lease here
                if (groupLeased(group)) continue;
                try (PreparedStatement u = db().prepareStatement("UPDATE scenarios SET status = ?, lease_owner = ?, lease_group = ?,"
                        + " lease_until_ms = " + d.nowMs() + " + ? WHERE id = ?")) {
                    u.setString(1, ScenarioStatus.RUNNING.storedName());
                    u.setString(2, owner);
                    u.setString(3, group);
                    u.setLong(4, leaseMs);
                    u.setLong(5, (Long) c[0]);
                    u.executeUpdate();
                }
                out[0] = Optional.of(new Claim(runId, (Long) c[0], (Integer) c[1], (String) c[2], group));
                return;
            }
        });
        return out[0];
    }

    private Set<String> busyGroups() throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement p = db().prepareStatement("SELECT DISTINCT lease_group FROM scenarios WHERE status = ? AND lease_group IS NOT NULL"
                + " AND lease_until_ms >= " + store.dialect().nowMs())) {
            p.setString(1, ScenarioStatus.RUNNING.storedName());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }

    private boolean groupLeased(String group) throws SQLException {
        try (PreparedStatement p = db().prepareStatement("SELECT COUNT(*) FROM scenarios WHERE status = ? AND lease_group = ?"
                + " AND lease_until_ms >= " + store.dialect().nowMs())) {
            p.setString(1, ScenarioStatus.RUNNING.storedName());
            p.setString(2, group);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() && rs.getInt(1) > 0;
            }
        }
    }

    /** Extends the lease by {@code leaseMs} from now; false when {@code owner} no longer holds it. */
    public boolean renew(long scenarioId, String owner, long leaseMs) {
        int[] n = new int[1];
        store.transaction(() -> {
            try (PreparedStatement u = db().prepareStatement("UPDATE scenarios SET lease_until_ms = " + store.dialect().nowMs() + " + ?"
                    + " WHERE id = ? AND lease_owner = ? AND status = ?")) {
                u.setLong(1, leaseMs);
                u.setLong(2, scenarioId);
                u.setString(3, owner);
                u.setString(4, ScenarioStatus.RUNNING.storedName());
                n[0] = u.executeUpdate();
            }
        });
        return n[0] == 1;
    }

    /** Ends a lease once its scenario ended (its owner stays recorded as where it ran); its host group is free again. */
    public void release(long scenarioId, String owner) {
        store.transaction(() -> {
            // still running: its worker could not record an end (stopped before it measured, store trouble): claimable again
            try (PreparedStatement u = db().prepareStatement("UPDATE scenarios SET status = ?, reason = ? WHERE id = ? AND lease_owner = ? AND status = ?")) {
                u.setString(1, ScenarioStatus.PARTIAL.storedName());
                u.setString(2, "its worker gave it back unfinished");
                u.setLong(3, scenarioId);
                u.setString(4, owner);
                u.setString(5, ScenarioStatus.RUNNING.storedName());
                u.executeUpdate();
            }
            try (PreparedStatement u = db().prepareStatement("UPDATE scenarios SET lease_group = NULL, lease_until_ms = NULL"
                    + " WHERE id = ? AND lease_owner = ?")) {
                u.setLong(1, scenarioId);
                u.setString(2, owner);
                u.executeUpdate();
            }
        });
    }

    /**
     * Makes an existing run work for lab workers (a run resumed on a shared store): queued and
     * running, each scenario naming its target and host group; a scenario left running by a vmlat
     * that died without a lease is partial, claimable again.
     */
    public void requeue(long runId, List<Work> work) {
        store.transaction(() -> {
            try (PreparedStatement u = db().prepareStatement("UPDATE runs SET queued = 1, status = ? WHERE id = ?")) {
                u.setString(1, RunStatus.RUNNING.storedName());
                u.setLong(2, runId);
                u.executeUpdate();
            }
            try (PreparedStatement u = db().prepareStatement("UPDATE scenarios SET target = ?, host_group = ? WHERE run_id = ? AND idx = ?")) {
                for (int i = 0; i < work.size(); i++) {
                    u.setString(1, work.get(i).target());
                    u.setString(2, work.get(i).hostGroup());
                    u.setLong(3, runId);
                    u.setInt(4, i);
                    u.addBatch();
                }
                u.executeBatch();
            }
            try (PreparedStatement u = db().prepareStatement("UPDATE scenarios SET status = ? WHERE run_id = ? AND status = ? AND lease_until_ms IS NULL")) {
                u.setString(1, ScenarioStatus.PARTIAL.storedName());
                u.setLong(2, runId);
                u.setString(3, ScenarioStatus.RUNNING.storedName());
                u.executeUpdate();
            }
        });
    }

    /** Makes a run's failed scenarios pending again (and the run running), for {@code lab run --resume --retry-failed}. */
    public void retryFailed(long runId) {
        store.transaction(() -> {
            try (PreparedStatement u = db().prepareStatement("UPDATE scenarios SET status = ? WHERE run_id = ? AND status = ?")) {
                u.setString(1, ScenarioStatus.PENDING.storedName());
                u.setLong(2, runId);
                u.setString(3, ScenarioStatus.FAILED.storedName());
                u.executeUpdate();
            }
            try (PreparedStatement u = db().prepareStatement("UPDATE runs SET status = ? WHERE id = ?")) {
                u.setString(1, RunStatus.RUNNING.storedName());
                u.setLong(2, runId);
                u.executeUpdate();
            }
        });
    }

    /** Scenarios of a run not finished yet (pending, partial or running). */
    public int unfinished(long runId) {
        return store.read(() -> {
            try (PreparedStatement p = db().prepareStatement("SELECT COUNT(*) FROM scenarios WHERE run_id = ? AND status NOT IN (?, ?)")) {
                p.setLong(1, runId);
                p.setString(2, ScenarioStatus.DONE.storedName());
                p.setString(3, ScenarioStatus.FAILED.storedName());
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * Ends a run whose every scenario is done or failed (done, or done with failures); a run with
     * work left stays running. Returns whether the run has ended.
     */
    public boolean endIfFinished(long runId) {
        boolean[] ended = new boolean[1];
        SqlDialect d = store.dialect();
        store.transaction(() -> {
            String status;
            try (PreparedStatement p = db().prepareStatement("SELECT status FROM runs WHERE id = ?" + d.lockingRead())) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    if (!rs.next()) throw new StoreException("no run " + runId + " in " + store.location());
                    status = rs.getString(1);
                }
            }
            if (!RunStatus.RUNNING.storedName().equals(status)) {
                ended[0] = true;
                return;
            }
            int left = 0, failed = 0;
            try (PreparedStatement p = db().prepareStatement("SELECT status, COUNT(*) FROM scenarios WHERE run_id = ? GROUP BY status")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        ScenarioStatus s = ScenarioStatus.fromStored(rs.getString(1));
                        if (s == ScenarioStatus.FAILED) failed += rs.getInt(2);
                        else if (s != ScenarioStatus.DONE) left += rs.getInt(2);
                    }
                }
            }
            if (left > 0) return;
            try (PreparedStatement u = db().prepareStatement("UPDATE runs SET status = ?, ended_ms = ? WHERE id = ?")) {
                u.setString(1, (failed > 0 ? RunStatus.DONE_WITH_FAILURES : RunStatus.DONE).storedName());
                u.setLong(2, System.currentTimeMillis());
                u.setLong(3, runId);
                u.executeUpdate();
            }
            ended[0] = true;
        });
        return ended[0];
    }

    /** Every scenario of a run with where it stands and who holds it, by index. */
    public List<Item> items(long runId) {
        store.run(runId); // a helpful message for a wrong id
        return store.read(() -> {
            List<Item> out = new ArrayList<>();
            try (PreparedStatement p = db().prepareStatement("SELECT idx, target, status, lease_owner, started_ms,"
                    + " COALESCE(lease_until_ms - " + store.dialect().nowMs() + ", 0), attempt, reason, dims_json"
                    + " FROM scenarios WHERE run_id = ? ORDER BY idx")) {
                p.setLong(1, runId);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String target = rs.getString(2);
                        if (target == null) target = ResultStore.map(rs.getString(9)).getOrDefault("target", "");
                        out.add(new Item(rs.getInt(1), target, ScenarioStatus.fromStored(rs.getString(3)), rs.getString(4), rs.getLong(5),
                                rs.getLong(6), rs.getInt(7), rs.getString(8)));
                    }
                }
            }
            return out;
        });
    }

    private Connection db() {
        return store.connection();
    }
}
