package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/** Real lab runs (vmlat as a child JVM) with a pinned stress-ng load and a cyclictest probe given cyclictest's keys. */
class LabProbeKeysRunTest {

    /** pid -> Cpus_allowed_list of the processes of a process group whose name starts with prefix. */
    static Map<Long, String> affinities(long pgid, String prefix) throws Exception {
        Map<Long, String> out = new TreeMap<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().matches("\\d+")) continue;
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (Long.parseLong(f[2]) != pgid || !comm.startsWith(prefix)) continue;
                    for (String line : Files.readAllLines(p.resolve("status"))) {
                        if (line.startsWith("Cpus_allowed_list:")) out.put(Long.parseLong(p.getFileName().toString()), line.split(":", 2)[1].strip());
                    }
                } catch (java.io.IOException gone) {
                    // the process ended while listed
                }
            }
        }
        return out;
    }

    @Test
    void aLoadWithCpusRunsPinnedThereAndTheScenarioRecordsIt(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/stress-ng")), "needs stress-ng");
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, """
                name = "pinned"
                duration = "6s"
                [probe]
                affinity = "1"
                breaktrace = "900ms"
                [matrix]
                probe = ["builtin"]
                interval = ["1ms"]
                load = ["cpu0"]
                [[load]]
                name = "cpu0"
                command = ["stress-ng", "--cpu", "2", "--timeout", "120s"]
                cpus = "0"
                """);
        Process p = LabFaultsTest.vmlat(dir, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        Map<Long, String> seen = new TreeMap<>();
        long end = System.currentTimeMillis() + 60_000;
        while (p.isAlive() && System.currentTimeMillis() < end) {
            for (long g : LabFaultsTest.loadGroups(dir)) seen.putAll(affinities(g, "stress-ng"));
            Thread.sleep(300);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        System.out.println("stress-ng processes seen while measuring (pid=Cpus_allowed_list): " + seen);
        assertThat(p.exitValue()).isZero();
        assertThat(seen).as("the parent and its two workers").hasSizeGreaterThanOrEqualTo(3);
        assertThat(seen.values()).containsOnly("0");
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            ScenarioRecord r = s.scenarios(1).get(0);
            assertThat(r.status()).isEqualTo(ScenarioStatus.DONE);
            assertThat(r.settings()).containsEntry("load.cpus", "0").containsEntry("breaktrace_ns", "900000000");
            assertThat(r.loadCommands()).startsWith("taskset -c 0 stress-ng --cpu 2");
        }
    }

    @Test
    void aCyclictestScenarioKeepsItsDistanceBreaktraceAndFurtherArguments(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cyclictest")), "needs cyclictest (rt-tests)");
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, """
                name = "cyclictest keys"
                duration = "2s"
                [probe]
                affinity = "1"
                policy = "other"
                distance = "100us"
                breaktrace = "900ms"
                cyclictest_args = ["--latency=10"]
                [matrix]
                probe = ["cyclictest"]
                interval = ["1ms"]
                priority = [0]
                """);
        Process p = LabFaultsTest.vmlat(dir, "lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        try (ResultStore s = ResultStore.openReadOnly(db.toString())) {
            ScenarioRecord r = s.scenarios(1).get(0);
            System.out.println("stored settings: " + r.settings());
            assertThat(r.status()).isEqualTo(ScenarioStatus.DONE);
            assertThat(r.count()).isPositive();
            assertThat(r.settings()).containsEntry("engine", "cyclictest").containsEntry("distance_ns", "100000")
                    .containsEntry("breaktrace_ns", "900000000").containsEntry("cyclictest_args", "--latency=10");
            assertThat(r.probeCommand()).contains(" -b900000 ").contains(" --latency=10 --json=");
        }
    }
}
