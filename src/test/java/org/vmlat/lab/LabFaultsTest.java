package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.ProcessGroups;
import org.vmlat.store.Attempt;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunStatus;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * Faults with real processes: vmlat runs as a child JVM with a real stress-ng (or built-in) load,
 * and is killed with SIGKILL or stopped with SIGTERM; the test then counts what is left.
 */
class LabFaultsTest {
    static final String PLAN = """
            name = "faults"
            duration = "4s"
            [probe]
            affinity = "1"
            [matrix]
            probe = ["builtin"]
            interval = ["1ms", "2ms"]
            load = ["sys"]
            [[load]]
            name = "sys"
            preset = "syscall"
            instances = 1
            """;

    static Process vmlat(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvmlat.snapshotMs=1000", "-cp", System.getProperty("java.class.path"), "org.vmlat.cli.Vmlat"));
        cmd.addAll(List.of(args));
        // a temporary folder of its own: what vmlat leaves outside its private folder shows up there
        Files.createDirectories(dir.resolve("tmp"));
        cmd.add(1, "-Djava.io.tmpdir=" + dir.resolve("tmp"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + System.nanoTime() + ".txt").toFile());
        pb.environment().put("VMLAT_STATE_DIR", dir.resolve("state").toString());
        return pb.start();
    }

    /** What the vmlat processes {@link #vmlat} started in {@code dir} printed, one after another. */
    static String output(Path dir) throws Exception {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().matches("out-\\d+\\.txt")).sorted().toList()) all.append(Files.readString(f));
        }
        return all.toString();
    }

    static List<Long> loadGroups(Path dir) throws Exception {
        List<Long> out = new ArrayList<>();
        Path state = dir.resolve("state").resolve("loads");
        if (!Files.isDirectory(state)) return out;
        try (var files = Files.list(state)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!p.getFileName().toString().startsWith(".")) out.add(Long.parseLong(p.getFileName().toString()));
            }
        }
        return out;
    }

    static int waitForMembers(long pgid, int expected, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        int n = ProcessGroups.members(pgid);
        while (n != expected && System.currentTimeMillis() < end) {
            Thread.sleep(50);
            n = ProcessGroups.members(pgid);
        }
        return n;
    }

    static ScenarioRecord waitForSnapshot(Path db, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end) {
            if (Files.exists(db)) {
                try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
                    if (!s.runs().isEmpty()) {
                        for (ScenarioRecord r : s.scenarios(s.runs().get(0).id())) {
                            if (r.status() == ScenarioStatus.RUNNING && r.count() > 0) return r;
                        }
                    }
                } catch (RuntimeException busy) {
                    // the child is creating the store
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no snapshot within " + timeoutMs + " ms");
    }

    @Test
    void sigkillLosesAtMostASnapshotPeriodAndResumeFinishesTheRunAndEndsTheLeftoverLoad(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, PLAN);
        Process p = vmlat(dir, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        ScenarioRecord snapshot = waitForSnapshot(db, 30_000);
        List<Long> groups = loadGroups(dir);
        assertThat(groups).hasSize(1);
        long pgid = groups.get(0);
        assertThat(ProcessGroups.members(pgid)).isPositive();

        p.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(waitForMembers(pgid, 0, 5000)).as("the load dies with a SIGKILLed vmlat, by the kernel's parent-death signal").isZero();
        try (ResultStore s = ResultStore.openSqlite(db)) {
            ScenarioRecord kept = s.scenarios(1).get(0);
            assertThat(kept.count()).as("snapshot kept in the store").isGreaterThanOrEqualTo(snapshot.count()).isPositive();
        }

        Process resume = vmlat(dir, "lab", "run", "--resume", "1", "--store", db.toString(), "-q");
        assertThat(resume.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(resume.exitValue()).isZero();
        assertThat(ProcessGroups.members(pgid)).as("no leftover load").isZero();
        assertThat(loadGroups(dir)).isEmpty();
        try (ResultStore s = ResultStore.openSqlite(db)) {
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all).extracting(ScenarioRecord::status).containsExactly(ScenarioStatus.DONE, ScenarioStatus.DONE);
            for (ScenarioRecord r : all) assertThat(r.count() + r.overruns()).isBetween(1_990L / (r.index() + 1), 4_001L);
            assertThat(s.run(1).status()).isEqualTo(RunStatus.DONE);
            // the killed attempt's samples stay beside the re-run
            List<Attempt> attempts = s.attempts(all.get(0).id());
            assertThat(attempts).extracting(Attempt::number, Attempt::finished).containsExactly(tuple(1, false), tuple(2, true));
            assertThat(attempts.get(0).samples()).isGreaterThanOrEqualTo(snapshot.count());
        }
    }

    @Test
    void sigtermKeepsThePartialScenarioAndLeavesNoLoad(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, PLAN);
        Process p = vmlat(dir, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        waitForSnapshot(db, 30_000);
        long pgid = loadGroups(dir).get(0);
        long partial;
        List<String> folders = privateFolders(dir);
        p.destroy(); // SIGTERM, as Ctrl-C: the shutdown hook stops the run
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessGroups.members(pgid)).isZero();
        List<String> left = privateFolders(dir);
        System.out.printf("LabFaultsTest: lab run SIGTERMed: private folders before %s, after %s%n", folders, left);
        assertThat(folders).as("the run's private folder, with its load's log").hasSize(1);
        assertThat(left).as("the private folder is removed on SIGTERM, not at the next start").isEmpty();
        assertThat(loadGroups(dir)).isEmpty();
        try (ResultStore s = ResultStore.openSqlite(db)) {
            ScenarioRecord first = s.scenarios(1).get(0);
            assertThat(first.status()).isEqualTo(ScenarioStatus.PARTIAL);
            assertThat(first.count()).isPositive();
            assertThat(s.scenarios(1).get(1).status()).isEqualTo(ScenarioStatus.PENDING);
            assertThat(s.run(1).status()).isEqualTo(RunStatus.INTERRUPTED);
            partial = first.count();
        }
        Process resume = vmlat(dir, "lab", "run", "--resume", "1", "--store", db.toString(), "-q");
        assertThat(resume.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(resume.exitValue()).isZero();
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            ScenarioRecord first = s.scenarios(1).get(0);
            assertThat(first.status()).isEqualTo(ScenarioStatus.DONE);
            // every sample of the interrupted attempt is still there
            assertThat(s.attempts(first.id())).extracting(Attempt::number, Attempt::finished, Attempt::samples)
                    .containsExactly(tuple(1, false, partial), tuple(2, true, first.count()));
        }
    }

    /** The private folders in the child's state folder ({@code STATE/tmp/PID-START}). */
    static List<String> privateFolders(Path dir) throws Exception {
        Path tmp = dir.resolve("state").resolve("tmp");
        if (!Files.isDirectory(tmp)) return List.of();
        try (var l = Files.list(tmp)) {
            return l.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void sigtermDuringMeasureRemovesThePrivateFolder(@TempDir Path dir) throws Exception {
        Process p = vmlat(dir, "measure", "-a", "1", "-D", "60", "-q");
        long end = System.currentTimeMillis() + 20_000;
        while (privateFolders(dir).isEmpty() && System.currentTimeMillis() < end) Thread.sleep(100);
        Thread.sleep(1500); // measuring by now
        List<String> folders = privateFolders(dir);
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> left = privateFolders(dir);
        System.out.printf("LabFaultsTest: measure SIGTERMed (exit %d): private folders before %s, after %s%n", p.exitValue(), folders, left);
        assertThat(folders).hasSize(1);
        assertThat(left).isEmpty();
        assertThat(Files.list(dir.resolve("tmp")).count()).as("nothing in java.io.tmpdir").isZero();
    }

    @Test
    void aLoadThatDiesFailsItsScenarioAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, PLAN.replace("preset = \"syscall\"\ninstances = 1", "command = [\"sh\", \"-c\", \"exit 3\"]")
                .replace("duration = \"4s\"", "duration = \"1s\""));
        Process p = vmlat(dir, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(1);
        try (ResultStore s = ResultStore.openSqlite(db)) {
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all).extracting(ScenarioRecord::status).containsExactly(ScenarioStatus.FAILED, ScenarioStatus.FAILED);
            assertThat(all.get(0).reason()).contains("exited with 3");
        }
        assertThat(loadGroups(dir)).isEmpty();
    }

    /** Two vmlat processes running plans into one SQLite file at the same time. */
    @Test
    void twoProcessesShareOneStore(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, PLAN.replace("duration = \"4s\"", "duration = \"1s\"").replace("load = [\"sys\"]", "load = [\"none\"]"));
        Process a = vmlat(dir, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        Process b = vmlat(dir, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(a.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(a.exitValue()).isZero();
        assertThat(b.exitValue()).isZero();
        try (ResultStore s = ResultStore.openSqlite(db)) {
            assertThat(s.runs()).hasSize(2);
            for (var r : s.runs()) {
                assertThat(s.scenarios(r.id())).extracting(ScenarioRecord::status).containsExactly(ScenarioStatus.DONE, ScenarioStatus.DONE);
            }
        }
    }
}
