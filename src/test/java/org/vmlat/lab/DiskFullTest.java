package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.store.Attempt;
import org.vmlat.store.IntervalMax;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunStatus;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.Spill;

/**
 * A real {@code lab run} whose store sits on a small tmpfs that fills up while a scenario is
 * measured: the run stops saying "disk full" with the store's path, the scenario's result is kept
 * in a spill file, and once there is room again {@code --resume} stores it and finishes the run
 * with every sample of the spill.
 */
class DiskFullTest {
    static final String PLAN = """
            name = "diskfull"
            duration = "4s"
            [probe]
            affinity = "1"
            [matrix]
            probe = ["builtin"]
            interval = ["1ms", "2ms"]
            load = ["none"]
            """;

    @Test
    void aFullDiskKeepsTheScenarioInASpillAndResumeStoresItWithNoSampleLost(@TempDir Path dir) throws Exception {
        Path disk = dir.resolve("disk");
        Files.createDirectories(disk);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", disk.toString()) == 0, "cannot mount a tmpfs (not root?)");
        try {
            Path plan = dir.resolve("plan.toml"), db = disk.resolve("r.db");
            Files.writeString(plan, PLAN);
            Process p = LabFaultsTest.vmlat(dir, "--verbose", "lab", "run", plan.toString(), "--store", db.toString(), "-q");
            LabFaultsTest.waitForSnapshot(db, 30_000);
            long filled = fill(disk.resolve("filler"));
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = newestOutput(dir);
            assertThat(p.exitValue()).as(out).isEqualTo(1);
            assertThat(out).contains("disk full").contains(db.toString()).contains("kept in");
            out.lines().filter(l -> l.contains("disk full")).forEach(l -> System.out.println("DiskFullTest: the run said: " + l));

            Path spillFile = findSpill(dir, db);
            Spill spill = Spill.read(spillFile.toString(), Files.readString(spillFile));
            assertThat(out).contains(spillFile.toString());
            assertThat(spill.status()).isEqualTo(ScenarioStatus.DONE);
            assertThat(spill.scenarioIndex()).isZero();
            assertThat(spill.samples()).as("4 s at 1 ms").isBetween(3_000L, 4_001L);
            try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
                assertThat(s.run(1).status()).as("resumable").isEqualTo(RunStatus.RUNNING);
                assertThat(s.scenarios(1).get(0).status()).isEqualTo(ScenarioStatus.RUNNING);
            }

            Files.delete(disk.resolve("filler"));
            Process resume = LabFaultsTest.vmlat(dir, "lab", "run", "--resume", "1", "--store", db.toString(), "-q");
            assertThat(resume.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String resumed = newestOutput(dir);
            assertThat(resume.exitValue()).as(resumed).isZero();
            assertThat(resumed).contains("stored the result of scenario 1 (" + spill.samples() + " samples)");
            assertThat(spillFile).doesNotExist();
            try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
                List<ScenarioRecord> all = s.scenarios(1);
                assertThat(all).extracting(ScenarioRecord::status).containsExactly(ScenarioStatus.DONE, ScenarioStatus.DONE);
                assertThat(s.run(1).status()).isEqualTo(RunStatus.DONE);
                // the spilled attempt is the scenario's only one: it was not measured again
                List<Attempt> attempts = s.attempts(all.get(0).id());
                assertThat(attempts).extracting(Attempt::number, Attempt::finished, Attempt::samples)
                        .containsExactly(tuple(1, true, spill.samples()));
                long lost = spill.samples() - attempts.get(0).samples();
                long intervalSamples = s.intervals(all.get(0).id()).stream().mapToLong(IntervalMax::count).sum();
                System.out.printf("DiskFullTest: scenario 1 has %d interval maxima after --resume (%d in the spill), covering %d samples%n",
                        s.intervals(all.get(0).id()).size(), spill.intervals().size(), intervalSamples);
                assertThat(intervalSamples).as("the per-interval maxima, stored or spilled, cover every sample").isEqualTo(spill.samples());
                System.out.printf("DiskFullTest: filler %d bytes; spill %s holds %d samples; stored after --resume %d; lost %d;"
                        + " scenario 2 measured on resume: %d samples%n", filled, spillFile, spill.samples(), attempts.get(0).samples(), lost,
                        all.get(1).count());
                assertThat(lost).isZero();
            }
        } finally {
            if (run("umount", disk.toString()) != 0) run("umount", "-l", disk.toString());
        }
    }

    /** Writes until the file system says it is full; returns the bytes written. */
    private static long fill(Path file) throws IOException {
        byte[] block = new byte[16 * 1024];
        long n = 0;
        try (OutputStream o = Files.newOutputStream(file)) {
            while (true) {
                o.write(block);
                n += block.length;
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left");
        }
        return n;
    }

    private static Path findSpill(Path dir, Path db) throws IOException {
        String name = "run-1-scenario-1-attempt-1.json";
        Path beside = db.resolveSibling(db.getFileName() + ".spill").resolve(name);
        if (Files.exists(beside)) return beside;
        try (Stream<Path> all = Files.walk(dir.resolve("state").resolve("spill"))) {
            return all.filter(f -> f.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no spill beside the store nor in the state folder"));
        }
    }

    private static String newestOutput(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            Path newest = files.filter(f -> f.getFileName().toString().startsWith("out-")).max(Path::compareTo).orElseThrow();
            return Files.readString(newest);
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }
}
