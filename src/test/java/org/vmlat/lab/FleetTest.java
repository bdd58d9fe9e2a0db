package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.store.Attempt;
import org.vmlat.store.PostgresServer;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunStatus;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.WorkQueue;

/**
 * A lab shared by several workers, for real: a PostgreSQL server, vmlat lab workers as separate
 * JVMs (each with its own state folder, as on separate machines), the built-in probe measuring
 * short scenarios. Counts what ends in the store: every scenario done exactly once, host groups
 * never measured twice at the same time, a killed worker's scenario taken over after its lease, a
 * database restart survived.
 */
@ExtendWith(PostgresServer.class)
class FleetTest {
    /** 3 targets, each its own host group, 10 repetitions: 30 scenarios of 200 ms. */
    static String plan(int repetitions, String duration) {
        return """
                name = "fleet"
                duration = "%s"
                warmup = "0s"
                repetitions = %d
                [[target]]
                name = "a"
                host_group = "box-a"
                [[target]]
                name = "b"
                host_group = "box-b"
                [[target]]
                name = "c"
                host_group = "box-c"
                [matrix]
                target = ["a", "b", "c"]
                probe = ["builtin"]
                interval = ["1ms"]
                """.formatted(duration, repetitions);
    }

    static ProcessBuilder vmlat(Path dir, String name, long leaseMs, List<String> prefix, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dvmlat.snapshotMs=300", "-Dvmlat.leaseMs=" + leaseMs, "-Dvmlat.workerPollMs=200",
                "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp-" + name)),
                "-cp", System.getProperty("java.class.path"), "org.vmlat.cli.Vmlat"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + name + ".txt").toFile());
        // a state folder per worker: its CPU claims are its own machine's
        pb.environment().put("VMLAT_STATE_DIR", dir.resolve("state-" + name).toString());
        return pb;
    }

    static long submit(Path dir, String url, String planText) throws Exception {
        Path plan = dir.resolve("plan.toml");
        Files.writeString(plan, planText);
        Process p = vmlat(dir, "submit", 30_000, List.of(), "lab", "submit", plan.toString(), "--store", url).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("out-submit.txt"))).isZero();
        try (ResultStore s = ResultStore.openReadOnly(url)) {
            return s.runs().get(s.runs().size() - 1).id();
        }
    }

    static List<Process> workers(Path dir, String url, int n, long leaseMs, List<List<String>> prefixes, String tag) throws Exception {
        List<Process> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String u = url;
            out.add(vmlat(dir, tag + "-w" + i, leaseMs, prefixes.isEmpty() ? List.of() : prefixes.get(i), "lab", "worker", "--store", u,
                    "--until-idle", "-q").start());
        }
        return out;
    }

    static void awaitAll(Path dir, List<Process> workers, long timeoutS) throws Exception {
        for (Process p : workers) {
            assertThat(p.waitFor(timeoutS, TimeUnit.SECONDS)).as("worker ends").isTrue();
        }
    }

    /** Every scenario done by exactly one attempt with final results, and no two of one host group measured at once. */
    static void assertDoneExactlyOnce(String url, long run, int scenarios, boolean allowRetakenAttempts) {
        try (ResultStore s = ResultStore.openReadOnly(url)) {
            assertThat(s.run(run).status()).isEqualTo(RunStatus.DONE);
            List<ScenarioRecord> all = s.scenarios(run);
            assertThat(all).hasSize(scenarios);
            assertThat(all).extracting(ScenarioRecord::status).containsOnly(ScenarioStatus.DONE);
            for (ScenarioRecord r : all) {
                List<Attempt> attempts = s.attempts(r.id());
                assertThat(attempts.stream().filter(Attempt::finished).count()).as("scenario %d measured to its end once", r.index()).isEqualTo(1);
                if (!allowRetakenAttempts) assertThat(attempts).as("scenario %d: one attempt", r.index()).hasSize(1);
                assertThat(r.count()).isPositive();
            }
            Map<String, List<long[]>> byGroup = new LinkedHashMap<>();
            for (ScenarioRecord r : all) byGroup.computeIfAbsent(r.dims().get("target"), g -> new ArrayList<>()).add(new long[] {r.startedMs(), r.endedMs()});
            byGroup.forEach((g, spans) -> {
                spans.sort((x, y) -> Long.compare(x[0], y[0]));
                for (int i = 1; i < spans.size(); i++) {
                    assertThat(spans.get(i)[0]).as("host group of target %s: one scenario at a time", g).isGreaterThanOrEqualTo(spans.get(i - 1)[1]);
                }
            });
        }
    }

    @Test
    void threeWorkersDoEveryScenarioExactlyOnceFiveTimesOver(PostgresServer pg, @TempDir Path dir) throws Exception {
        for (int rep = 0; rep < 5; rep++) {
            String url = pg.newDatabase();
            long run = submit(dir, url, plan(10, "200ms"));
            List<Process> w = workers(dir, url, 3, 30_000, List.of(), "rep" + rep);
            awaitAll(dir, w, 90);
            for (Process p : w) assertThat(p.exitValue()).isZero();
            assertDoneExactlyOnce(url, run, 30, false);
        }
    }

    @Test
    void aSigkilledWorkersScenarioIsTakenOverWhenItsLeaseExpires(PostgresServer pg, @TempDir Path dir) throws Exception {
        String url = pg.newDatabase();
        long leaseMs = 3000;
        long run = submit(dir, url, plan(2, "2s"));
        List<Process> w = workers(dir, url, 2, leaseMs, List.of(), "kill");
        // wait for a scenario that has stored a snapshot, and kill its worker
        long victimScenario = -1;
        long pid = -1;
        long end = System.currentTimeMillis() + 60_000;
        while (victimScenario < 0 && System.currentTimeMillis() < end) {
            try (ResultStore s = ResultStore.openReadOnly(url)) {
                for (ScenarioRecord r : s.scenarios(run)) {
                    if (r.status() == ScenarioStatus.RUNNING && r.count() > 0) {
                        String owner = new WorkQueue(s).items(run).get(r.index()).owner();
                        victimScenario = r.index();
                        pid = Long.parseLong(owner.split(" ")[2]);
                        break;
                    }
                }
            }
            Thread.sleep(100);
        }
        assertThat(victimScenario).as("a scenario with a snapshot").isNotNegative();
        Process victim = null;
        for (Process p : w) if (p.pid() == pid) victim = p;
        assertThat(victim).isNotNull();
        victim.destroyForcibly(); // SIGKILL
        long killedAt = System.currentTimeMillis();
        assertThat(victim.waitFor(10, TimeUnit.SECONDS)).isTrue();

        // the other worker takes it over once the lease has run out
        long retakenAt = -1;
        while (retakenAt < 0 && System.currentTimeMillis() < killedAt + 30_000) {
            try (ResultStore s = ResultStore.openReadOnly(url)) {
                WorkQueue.Item item = new WorkQueue(s).items(run).get((int) victimScenario);
                if (item.attempt() >= 2 || item.owner() != null && !item.owner().contains(" " + pid + " ")) retakenAt = System.currentTimeMillis();
            }
            Thread.sleep(100);
        }
        long tookMs = retakenAt - killedAt;
        assertThat(retakenAt).as("re-claimed").isPositive();
        // bound: the lease (the last renewal may have come just before the kill) + the idle poll + a JVM's slack
        assertThat(tookMs).as("re-claimed within the lease + poll").isLessThan(leaseMs + 200 + 3000);
        Files.writeString(dir.resolve("reclaim-ms.txt"), Long.toString(tookMs));
        for (Process p : w) if (p != victim) assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertDoneExactlyOnce(url, run, 6, true);
        try (ResultStore s = ResultStore.openReadOnly(url)) {
            List<Attempt> attempts = s.attempts(s.scenarioId(run, (int) victimScenario));
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).finished()).as("the killed worker's snapshot is kept as an unfinished attempt").isFalse();
            assertThat(attempts.get(0).samples()).isPositive();
            assertThat(attempts.get(1).finished()).isTrue();
        }
    }

    @Test
    void workersRideOutADatabaseRestart(PostgresServer pg, @TempDir Path dir) throws Exception {
        String url = pg.newDatabase();
        long run = submit(dir, url, plan(4, "1s"));
        List<Process> w = workers(dir, url, 3, 15_000, List.of(), "restart");
        long end = System.currentTimeMillis() + 60_000;
        int done = 0;
        while (done < 3 && System.currentTimeMillis() < end) {
            try (ResultStore s = ResultStore.openReadOnly(url)) {
                done = s.run(run).done();
            }
            Thread.sleep(100);
        }
        assertThat(done).as("some scenarios done before the restart").isGreaterThanOrEqualTo(3).isLessThan(12);
        pg.restart(1500);
        awaitAll(dir, w, 120);
        for (int i = 0; i < w.size(); i++) assertThat(w.get(i).exitValue()).as(Files.readString(dir.resolve("out-restart-w" + i + ".txt"))).isZero();
        assertDoneExactlyOnce(url, run, 12, false);
    }

    @Test
    void workersInTheirOwnNetworkNamespacesReachTheDatabaseOverVeth(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(PostgresServer.available());
        String tag = "vl" + HexFormat.of().toHexDigits((short) new Random().nextInt());
        List<String> namespaces = new ArrayList<>();
        List<List<String>> prefixes = new ArrayList<>();
        List<String> hostSides = new ArrayList<>();
        int octet = 10 + new Random().nextInt(200);
        try {
            for (int i = 0; i < 3; i++) {
                String ns = tag + "n" + i, host = tag + "h" + i, peer = tag + "p" + i;
                String subnet = "10.213." + octet + ".";
                run("ip", "netns", "add", ns);
                namespaces.add(ns);
                run("ip", "link", "add", host, "type", "veth", "peer", "name", peer);
                hostSides.add(host);
                run("ip", "link", "set", peer, "netns", ns);
                String hostAddr = subnet + (4 * i + 1), nsAddr = subnet + (4 * i + 2);
                run("ip", "addr", "add", hostAddr + "/30", "dev", host);
                run("ip", "link", "set", host, "up");
                run("ip", "netns", "exec", ns, "ip", "addr", "add", nsAddr + "/30", "dev", peer);
                run("ip", "netns", "exec", ns, "ip", "link", "set", peer, "up");
                run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
                prefixes.add(List.of("ip", "netns", "exec", ns));
                hostSides.set(i, host + "=" + hostAddr);
            }
            String[] addresses = hostSides.stream().map(h -> h.substring(h.indexOf('=') + 1)).toArray(String[]::new);
            try (PostgresServer pg = PostgresServer.start(addresses)) {
                String local = pg.newDatabase();
                String db = local.substring(local.lastIndexOf('/') + 1);
                long run = submit(dir, local, plan(10, "200ms"));
                List<Process> w = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    // each worker reaches the server only through its own veth pair
                    w.add(vmlat(dir, "ns-w" + i, 30_000, prefixes.get(i), "lab", "worker", "--store", pg.url(addresses[i], db), "--until-idle", "-q").start());
                }
                awaitAll(dir, w, 90);
                for (int i = 0; i < 3; i++) assertThat(w.get(i).exitValue()).as(Files.readString(dir.resolve("out-ns-w" + i + ".txt"))).isZero();
                assertDoneExactlyOnce(local, run, 30, false);
                try (ResultStore s = ResultStore.openReadOnly(local)) {
                    assertThat(new WorkQueue(s).items(run)).extracting(WorkQueue.Item::owner).doesNotContainNull();
                }
            }
        } finally {
            for (String h : hostSides) runQuietly("ip", "link", "del", h.contains("=") ? h.substring(0, h.indexOf('=')) : h);
            for (String ns : namespaces) runQuietly("ip", "netns", "del", ns);
        }
    }

    static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError(String.join(" ", cmd) + ": " + out);
    }

    static void runQuietly(String... cmd) {
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // nothing left to remove
        }
    }
}
