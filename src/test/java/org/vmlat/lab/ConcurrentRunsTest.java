package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.load.LoadRecord;
import org.vmlat.os.ProcessGroups;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/**
 * Two vmlat processes at once, sharing one state folder: neither ends the other's loads, and they
 * never measure on the same CPU at the same time (a lab run waits and records the wait; measure
 * refuses, naming the other's pid).
 */
class ConcurrentRunsTest {
    static final String PLAN = """
            name = "%s"
            duration = "2s"
            [probe]
            affinity = "1"
            [matrix]
            probe = ["builtin"]
            interval = ["1ms", "2ms"]
            load = ["hb"]
            [[load]]
            name = "hb"
            preset = "scheduler"
            instances = 1
            """;

    static String output(Path dir, Process p) throws Exception {
        StringBuilder sb = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.getFileName().toString().startsWith("out-")).sorted()::iterator) {
                sb.append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    static void waitForALoad(Path dir, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (LabFaultsTest.loadGroups(dir).isEmpty()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("no load started within " + timeoutMs + " ms");
            Thread.sleep(100);
        }
    }

    void twoRuns(Path dir, Path storeA, Path storeB) throws Exception {
        Path planA = dir.resolve("a.toml"), planB = dir.resolve("b.toml");
        // a's scenarios last long enough that b, started during a's first one, meets CPU 1 taken
        Files.writeString(planA, PLAN.formatted("a").replace("duration = \"2s\"", "duration = \"8s\""));
        Files.writeString(planB, PLAN.formatted("b"));
        Process a = LabFaultsTest.vmlat(dir, "lab", "run", planA.toString(), "--store", storeA.toString(), "-q");
        waitForALoad(dir, 60_000); // a measures now: b starts while a's load runs
        Process b = LabFaultsTest.vmlat(dir, "lab", "run", planB.toString(), "--store", storeB.toString(), "-q");
        assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(120, TimeUnit.SECONDS)).isTrue();

        List<ScenarioRecord> all = new ArrayList<>();
        for (Path store : storeA.equals(storeB) ? List.of(storeA) : List.of(storeA, storeB)) {
            try (ResultStore s = ResultStore.openSqlite(store)) {
                for (var r : s.runs()) all.addAll(s.scenarios(r.id()));
            }
        }
        long failed = all.stream().filter(r -> r.status() != ScenarioStatus.DONE).count();
        long waits = all.stream().filter(r -> r.warnings().stream().anyMatch(w -> w.startsWith("waited"))).count();
        int overlaps = 0;
        for (ScenarioRecord x : all) {
            for (ScenarioRecord y : all) {
                if (x.runId() < y.runId() || (x.runId() == y.runId() && x.id() < y.id())) {
                    if (x.startedMs() < y.endedMs() && y.startedMs() < x.endedMs()) overlaps++;
                }
            }
        }
        System.out.printf("ConcurrentRunsTest (%s): exit codes %d and %d, %d scenarios, %d not done, %d recorded a wait for the CPU, "
                + "%d measured at the same time%n", storeA.equals(storeB) ? "one store" : "two stores", a.exitValue(), b.exitValue(),
                all.size(), failed, waits, overlaps);
        assertThat(a.exitValue()).as("first run (its loads were not ended by the second)\n" + output(dir, a)).isZero();
        assertThat(b.exitValue()).isZero();
        assertThat(all).hasSize(4).allSatisfy(r -> assertThat(r.status()).as(r.reason()).isEqualTo(ScenarioStatus.DONE));
        long t0 = all.stream().mapToLong(ScenarioRecord::startedMs).min().orElse(0);
        String timeline = all.stream().map(r -> "run " + r.runId() + " #" + r.index() + " " + (r.startedMs() - t0) + ".." + (r.endedMs() - t0)
                + " ms " + r.warnings()).toList() + "\n" + output(dir, a);
        assertThat(waits).as("the second run's wait for CPU 1 is recorded: " + timeline).isPositive();
        assertThat(overlaps).as("scenarios of the two runs measured on CPU 1 at the same time").isZero();
        assertThat(output(dir, b)).contains("CPU 1 is being measured by another vmlat (vmlat pid " + a.pid() + ", lab run 1 scenario");
        assertThat(LabFaultsTest.loadGroups(dir)).isEmpty();
    }

    @Test
    void twoRunsOnOneStore(@TempDir Path dir) throws Exception {
        twoRuns(dir, dir.resolve("r.db"), dir.resolve("r.db"));
    }

    @Test
    void twoRunsOnTwoStores(@TempDir Path dir) throws Exception {
        twoRuns(dir, dir.resolve("a.db"), dir.resolve("b.db"));
    }

    @Test
    void measureRefusesACpuALabRunMeasuresOnAndTakesAnother(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("a.toml");
        Files.writeString(plan, PLAN.formatted("a").replace("duration = \"2s\"", "duration = \"6s\""));
        Process a = LabFaultsTest.vmlat(dir, "lab", "run", plan.toString(), "--store", dir.resolve("r.db").toString(), "-q");
        waitForALoad(dir, 60_000);
        Process same = LabFaultsTest.vmlat(dir, "measure", "-a", "1", "-D", "1", "-q");
        assertThat(same.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Process other = LabFaultsTest.vmlat(dir, "measure", "-a", "0", "-D", "1", "-q");
        assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(a.waitFor(120, TimeUnit.SECONDS)).isTrue();
        System.out.printf("ConcurrentRunsTest: measure on the lab run's CPU exit %d, on another CPU exit %d, lab run exit %d%n",
                same.exitValue(), other.exitValue(), a.exitValue());
        assertThat(same.exitValue()).as("refused: environment").isEqualTo(4);
        assertThat(output(dir, same)).contains("vmlat: CPU 1 is being measured by another vmlat (vmlat pid " + a.pid() + ", lab run 1 scenario");
        assertThat(other.exitValue()).isZero();
        assertThat(a.exitValue()).isZero();
    }

    @Test
    void measureEndsALoadOfADeadVmlatFirstAndSaysSo(@TempDir Path dir) throws Exception {
        // what a vmlat on a system without a parent-death signal leaves when it is SIGKILLed
        Process deadVmlat = new ProcessBuilder("sleep", "0.2").start();
        ProcessIdentity owner = ProcessIdentity.of(deadVmlat.pid()).orElseThrow();
        deadVmlat.waitFor();
        Process load = new ProcessBuilder("setsid", "sh", "-c", "sleep 120 & sleep 120 & wait").start();
        Thread.sleep(200);
        new LoadRecord(Optional.of(owner), ProcessIdentity.of(load.pid()).orElseThrow(), "sleep 120").write(dir.resolve("state").resolve("loads"));
        try {
            Process m = LabFaultsTest.vmlat(dir, "measure", "-a", "1", "-D", "1", "-q");
            assertThat(m.waitFor(60, TimeUnit.SECONDS)).isTrue();
            int left = ProcessGroups.members(load.pid());
            System.out.printf("ConcurrentRunsTest: measure after a dead vmlat's load: exit %d, processes of that load left %d%n", m.exitValue(), left);
            assertThat(m.exitValue()).isZero();
            assertThat(left).isZero();
            assertThat(output(dir, m)).contains("vmlat: ended a load left by a vmlat that died: process group " + load.pid()
                    + " (sleep 120) of vmlat pid " + owner.pid());
        } finally {
            ProcessGroups.signal(load.pid(), ProcessGroups.SIGKILL);
        }
    }

    @Test
    void doctorAndRunsMentionALoadOfADeadVmlatAndLeaveIt(@TempDir Path dir) throws Exception {
        Process deadVmlat = new ProcessBuilder("sleep", "0.2").start();
        ProcessIdentity owner = ProcessIdentity.of(deadVmlat.pid()).orElseThrow();
        deadVmlat.waitFor();
        Process load = new ProcessBuilder("setsid", "sh", "-c", "sleep 120 & sleep 120 & wait").start();
        Thread.sleep(200);
        new LoadRecord(Optional.of(owner), ProcessIdentity.of(load.pid()).orElseThrow(), "sleep 120").write(dir.resolve("state").resolve("loads"));
        Path db = dir.resolve("r.db");
        try (ResultStore s = ResultStore.openSqlite(db)) {
            s.createRun("x", "plan.toml", "", Map.of(), Map.of());
        }
        try {
            int before = ProcessGroups.members(load.pid());
            String expected = "vmlat: warning: a load left by a vmlat that died is still running: process group " + load.pid()
                    + " (sleep 120) of vmlat pid " + owner.pid() + "; vmlat measure or vmlat lab run will end it, or end it yourself with kill -KILL -"
                    + load.pid();
            for (List<String> args : List.of(List.of("doctor"), List.of("runs", "list", "--store", db.toString()),
                    List.of("runs", "show", "1", "--store", db.toString()))) {
                Process c = LabFaultsTest.vmlat(dir, args.toArray(String[]::new));
                assertThat(c.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String out = newestOutput(dir);
                assertThat(out).as(String.join(" ", args)).contains(expected);
                assertThat(ProcessGroups.members(load.pid())).as("read-only: %s leaves the load alone", args).isEqualTo(before);
            }
            System.out.printf("ConcurrentRunsTest: doctor, runs list, runs show after a dead vmlat's load: all mention it, %d of %d processes"
                    + " still running%n", ProcessGroups.members(load.pid()), before);
            assertThat(Files.exists(dir.resolve("state").resolve("loads").resolve(Long.toString(load.pid())))).as("record kept").isTrue();
        } finally {
            ProcessGroups.signal(load.pid(), ProcessGroups.SIGKILL);
        }
    }

    private static String newestOutput(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return Files.readString(files.filter(f -> f.getFileName().toString().startsWith("out-")).max(Path::compareTo).orElseThrow());
        }
    }
}
