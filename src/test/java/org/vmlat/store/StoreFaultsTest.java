package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.ThreadResult;

/**
 * The store under faults: a write that dies half-way, a full disk, a read-only file system,
 * refused files. Tests that need a small or read-only file system mount a tmpfs, and are skipped
 * where mounting is not allowed.
 */
class StoreFaultsTest {
    private final List<Path> mounts = new ArrayList<>();

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static int sh(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    Path tmpfs(Path dir, String size) throws Exception {
        Path m = Files.createDirectories(dir.resolve("mnt"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", m.toString()) == 0, "mounting a tmpfs needs root");
        mounts.add(m);
        return m;
    }

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) sh("umount", "-l", m.toString());
    }

    static long started(ResultStore s) {
        long run = s.createRun("r", "p.toml", "t", Map.of(), Map.of());
        s.addScenarios(run, List.of(Map.of("i", "0")));
        long id = s.scenarioId(run, 0);
        s.startScenario(id, 1, "p", "l");
        s.saveThreads(id, List.of(ResultStoreTest.thread(0, 1)), false); // a snapshot
        return id;
    }

    /** A scenario's results and its end are one write: when the second half fails, neither is kept. */
    @Test
    void resultsAndTheirEndAreCommittedTogetherOrNotAtAll(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("r.db");
        long id;
        try (ResultStore s = ResultStore.open(db.toString())) {
            id = started(s);
        }
        // stands for a vmlat killed between the two halves: the status update fails after the results were written
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            c.createStatement().execute("CREATE TRIGGER die BEFORE UPDATE OF status ON scenarios WHEN NEW.status = 'done'"
                    + " BEGIN SELECT RAISE(ABORT, 'killed'); END");
        }
        List<ThreadResult> fin = List.of(ResultStoreTest.thread(0, 2), ResultStoreTest.thread(1, 3));
        try (ResultStore s = ResultStore.open(db.toString())) {
            assertThatThrownBy(() -> s.finishScenario(id, ScenarioStatus.DONE, null, Map.of(), List.of(), true, fin))
                    .isInstanceOf(StoreException.class).hasMessageContaining("killed");
            ScenarioRecord sc = s.scenarios(1).get(0);
            assertThat(sc.status()).isEqualTo(ScenarioStatus.RUNNING);
            assertThat(sc.count()).as("the snapshot, not the final results").isEqualTo(10_000);
            assertThat(s.attempts(id)).containsExactly(new Attempt(1, false, 10_000));
        }
    }

    @Test
    void aDiskFullOnCommitSaysSoWithThePathAndTheRunStaysResumable(@TempDir Path dir) throws Exception {
        Path mnt = tmpfs(dir, "256k");
        Path db = mnt.resolve("r.db");
        ResultStore s = ResultStore.open(db.toString());
        long id = started(s);
        Path filler = mnt.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4096];
            while (true) out.write(block);
        } catch (IOException full) {
            // the file system is full now
        }
        List<ThreadResult> fin = new ArrayList<>();
        for (int t = 0; t < 8; t++) fin.add(ResultStoreTest.thread(t, 10 + t));
        assertThatThrownBy(() -> s.finishScenario(id, ScenarioStatus.DONE, null, Map.of(), List.of(), true, fin))
                .isInstanceOf(StoreException.class).hasMessageContaining(db.toString()).hasMessageContaining("disk full")
                .hasMessageNotContaining("no transaction is active");
        Files.delete(filler);
        // the same connection goes on once there is room, and nothing of the failed write was kept
        ScenarioRecord sc = s.scenarios(1).get(0);
        assertThat(sc.status()).isEqualTo(ScenarioStatus.RUNNING);
        assertThat(sc.count()).isEqualTo(10_000);
        assertThat(s.run(1).status()).isEqualTo(RunStatus.RUNNING);
        s.setRunStatus(1, RunStatus.RUNNING, false); // writes work again on the same connection
        s.close();
        try (ResultStore again = ResultStore.open(db.toString())) {
            assertThat(again.startScenario(id, 1, "p", "l")).isEqualTo(2);
            again.finishScenario(id, ScenarioStatus.DONE, null, Map.of(), List.of(), true, fin);
            assertThat(again.attempts(id)).containsExactly(new Attempt(1, false, 10_000), new Attempt(2, true, 80_000));
        }
    }

    @Test
    void aStoreOnAReadOnlyFileSystemCanBeReadAndSaysWhyItCannotBeWritten(@TempDir Path dir) throws Exception {
        Path mnt = tmpfs(dir, "1m");
        Path db = mnt.resolve("r.db");
        try (ResultStore s = ResultStore.open(db.toString())) {
            started(s);
        }
        assumeTrue(sh("mount", "-o", "remount,ro", mnt.toString()) == 0, "remounting read-only");
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            assertThat(s.runs()).hasSize(1);
            assertThat(s.scenarios(1).get(0).count()).isEqualTo(10_000);
            assertThat(s.threadResults(s.scenarioId(1, 0))).hasSize(1);
        }
        assertThat(files(mnt)).containsExactly("r.db");
        assertThatThrownBy(() -> ResultStore.open(db.toString()).createRun("x", "p", "t", Map.of(), Map.of()))
                .isInstanceOf(StoreException.class).hasMessageContaining(db.toString()).hasMessageContaining("read-only");
        assertThatThrownBy(() -> ResultStore.open(mnt.resolve("new/r.db").toString()))
                .hasMessageContaining("cannot create the store").hasMessageContaining("read-only file system");
    }

    @Test
    void readingLeavesNothingBesideTheStore(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("r.db");
        try (ResultStore s = ResultStore.open(db.toString())) {
            started(s);
        }
        assertThat(files(dir)).containsExactly("r.db");
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            assertThat(s.runs()).hasSize(1);
            assertThatThrownBy(() -> s.createRun("x", "p", "t", Map.of(), Map.of())).isInstanceOf(StoreException.class);
        }
        assertThat(files(dir)).containsExactly("r.db");
        assertThatThrownBy(() -> ResultStore.openReadOnly(dir.resolve("none.db").toString()))
                .hasMessageContaining("no store at " + dir.resolve("none.db"));
        assertThat(files(dir)).containsExactly("r.db");
    }

    @Test
    void refusingAStoreLeavesNoJournalFiles(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("r.db");
        ResultStore.open(db.toString()).close();
        MigrationTest.sql(db, "UPDATE vmlat_meta SET value = '99' WHERE key = 'schema_version'");
        long size = Files.size(db);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> ResultStore.open(db.toString())).hasMessageContaining("schema 99");
            assertThatThrownBy(() -> ResultStore.openReadOnly(db.toString())).hasMessageContaining("schema 99");
        }
        assertThat(files(dir)).containsExactly("r.db");
        assertThat(Files.size(db)).isEqualTo(size);

        Path notes = dir.resolve("notes.db");
        Files.writeString(notes, "my precious notes");
        assertThatThrownBy(() -> ResultStore.openReadOnly(notes.toString())).hasMessageContaining("not a vmlat store");
        assertThat(files(dir)).containsExactly("notes.db", "r.db");
    }
}
