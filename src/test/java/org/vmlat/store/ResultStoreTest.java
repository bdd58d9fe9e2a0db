package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.ScenarioStatus;

class ResultStoreTest {
    static ThreadResult thread(int t, long seed) {
        Random r = new Random(seed);
        Histogram h = LatencyHistograms.create();
        long min = Long.MAX_VALUE, max = 0, sum = 0;
        for (int i = 0; i < 10_000; i++) {
            long v = 5_000 + (long) (r.nextGaussian() * 1_000 + 3_000) + (r.nextInt(1000) == 0 ? 500_000 : 0);
            v = Math.max(1, v);
            h.recordValue(v);
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
        }
        return new ThreadResult(t, t, 1_000_000, 1, 10_000, min, max, sum, 3, 0, h, List.of(new Spike(max, 42, 123_456_789)));
    }

    @Test
    void roundTripKeepsHistogramsAndSummaries(@TempDir Path dir) {
        Path db = dir.resolve("sub/results.db");
        long runId;
        ThreadResult t0 = thread(0, 1), t1 = thread(1, 2);
        try (ResultStore s = ResultStore.openSqlite(db)) {
            runId = s.createRun("r", "plan.toml", "duration = \"1s\"", Map.of("kernel.release", "6.1"), Map.of("cyclictest", "2.40"));
            s.addScenarios(runId, List.of(Map.of("probe", "builtin"), Map.of("probe", "cyclictest")));
            s.addScenarios(runId, List.of(Map.of("probe", "builtin"), Map.of("probe", "cyclictest"))); // idempotent
            long id = s.scenarioId(runId, 0);
            s.startScenario(id, 1_000_000_000L, "vmlat measure ...", "stress-ng --get 1");
            s.saveThreads(id, List.of(t0, t1), true);
            s.finishScenario(id, ScenarioStatus.DONE, null, Map.of("policy", "fifo"), List.of("w"), true);
        }
        try (ResultStore s = ResultStore.openSqlite(db)) {
            List<ScenarioRecord> all = s.scenarios(runId);
            assertThat(all).hasSize(2);
            ScenarioRecord sc = all.get(0);
            assertThat(sc.status()).isEqualTo(ScenarioStatus.DONE);
            assertThat(sc.loadCommands()).isEqualTo("stress-ng --get 1");
            assertThat(sc.settings()).containsEntry("policy", "fifo");
            assertThat(sc.threads()).hasSize(2);
            assertThat(sc.threads().get(0)).isEqualTo(org.vmlat.latency.ThreadSummary.of(t0));
            ThreadResult back = s.threadResults(sc.id()).get(0);
            assertThat(back.histogram()).isEqualTo(t0.histogram());
            assertThat(back).usingRecursiveComparison().ignoringFields("histogram").isEqualTo(t0);
            assertThat(all.get(1).status()).isEqualTo(ScenarioStatus.PENDING);
            RunRecord r = s.run(runId);
            assertThat(r.planText()).isEqualTo("duration = \"1s\"");
            assertThat(r.system()).containsEntry("kernel.release", "6.1");
            assertThat(r.done()).isEqualTo(1);
        }
    }

    @Test
    void aLateSnapshotNeverReplacesFinalResults(@TempDir Path dir) {
        try (ResultStore s = ResultStore.open(dir.resolve("r.db").toString())) {
            long run = s.createRun("r", "p", "t", Map.of(), Map.of());
            s.addScenarios(run, List.of(Map.of()));
            long id = s.scenarioId(run, 0);
            s.startScenario(id, 1, "p", "l");
            ThreadResult fin = thread(0, 1);
            s.finishScenario(id, ScenarioStatus.DONE, null, Map.of(), List.of(), true, List.of(fin));
            s.saveThreads(id, List.of(thread(0, 2), thread(1, 3)), false);
            assertThat(s.attempts(id)).containsExactly(new Attempt(1, true, 10_000));
            assertThat(s.threadResults(id).get(0).histogram()).isEqualTo(fin.histogram());
        }
    }

    @Test
    void refusesFilesThatAreNotVmlatStores(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.db");
        Files.writeString(text, "my precious notes");
        assertThatThrownBy(() -> ResultStore.openSqlite(text)).isInstanceOf(StoreException.class).hasMessageContaining("not a vmlat store");
        assertThat(Files.readString(text)).isEqualTo("my precious notes");

        Path other = dir.resolve("other.db");
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + other)) {
            c.createStatement().execute("CREATE TABLE customers (id INTEGER)");
        }
        long size = Files.size(other);
        assertThatThrownBy(() -> ResultStore.openSqlite(other)).hasMessageContaining("not a vmlat store");
        assertThat(Files.size(other)).isEqualTo(size);
    }

    @Test
    void refusesANewerSchema(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("r.db");
        ResultStore.openSqlite(db).close();
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("UPDATE vmlat_meta SET value = '99' WHERE key = 'schema_version'");
        }
        assertThatThrownBy(() -> ResultStore.openSqlite(db)).hasMessageContaining("schema 99, newer than this vmlat");
    }

    @Test
    void unknownRunIsAClearMessage(@TempDir Path dir) {
        try (ResultStore s = ResultStore.openSqlite(dir.resolve("r.db"))) {
            assertThatThrownBy(() -> s.run(7)).hasMessageContaining("no run 7").hasMessageContaining("vmlat runs list");
        }
    }

    /** Two processes' worth of writers (two connections, two threads) on one file: nothing lost. */
    @Test
    void concurrentWritersDoNotCorruptTheFile(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("r.db");
        ResultStore.openSqlite(db).close();
        Thread[] writers = new Thread[2];
        long[] runs = new long[2];
        for (int w = 0; w < 2; w++) {
            int ww = w;
            writers[w] = new Thread(() -> {
                try (ResultStore s = ResultStore.openSqlite(db)) {
                    runs[ww] = s.createRun("w" + ww, "p", "t", Map.of(), Map.of());
                    List<Map<String, String>> dims = new java.util.ArrayList<>();
                    for (int i = 0; i < 50; i++) dims.add(Map.of("i", Integer.toString(i)));
                    s.addScenarios(runs[ww], dims);
                    for (int i = 0; i < 50; i++) {
                        long id = s.scenarioId(runs[ww], i);
                        s.startScenario(id, 1, "p", "l");
                        s.saveThreads(id, List.of(thread(0, i)), true);
                        s.finishScenario(id, ScenarioStatus.DONE, null, Map.of(), List.of(), true);
                    }
                }
            });
            writers[w].start();
        }
        for (Thread t : writers) t.join();
        try (ResultStore s = ResultStore.openSqlite(db)) {
            for (long r : runs) {
                assertThat(s.scenarios(r)).hasSize(50).allMatch(x -> x.status() == ScenarioStatus.DONE && x.threads().size() == 1);
            }
        }
    }
}
