package org.vmlat.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vmlat.cli.Vmlat;
import org.vmlat.os.command.CommandResult;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/**
 * ssh targets against real OpenSSH servers: each server is an sshd the test starts in a network
 * namespace of its own, listening on the namespace's end of a veth pair (a private /30 per server),
 * with a host key and an authorized key made for the test; vmlat's ssh client runs here, in the
 * root namespace. The namespaces share this machine's kernel, so cyclictest and stress-ng run
 * "remotely" for real. Every process a test sshd starts carries an environment variable naming
 * the test and the server (sshd's SetEnv), so the test sees which ran where, and that nothing is
 * left, without looking at other tests' processes.
 */
class SshTargetNetnsTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final String TAG = "vmlat-ssh-test-" + PID;
    private static final AtomicInteger CHECKS = new AtomicInteger();

    /** One sshd in its own namespace. */
    record Server(String name, String ns, String hostIf, String address, Path config, Process sshd) {
        String tag() {
            return TAG + "-" + name;
        }
    }

    private static Path dir;
    private static final Map<String, Server> servers = new LinkedHashMap<>();
    /** What setup made, recorded before making it, so that teardown removes it even after a failed setup. */
    private static final List<String> namespaces = new ArrayList<>(), links = new ArrayList<>();
    /** "server:comm" of every tagged process seen since the last reset. */
    private static final Set<String> seen = ConcurrentHashMap.newKeySet();
    private static Thread sampler;

    @BeforeAll
    static void startServers() throws Exception {
        assumeTrue("0".equals(run("id", "-u").strip()), "needs root: network namespaces and sshd");
        for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/ssh-keygen", "/usr/sbin/ip", "/usr/bin/cyclictest", "/usr/bin/stress-ng")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), tool + " not installed (scripts/ensure-deps test)");
        }
        removeStaleNamespaces();
        dir = Files.createTempDirectory("vmlat-ssh-netns-");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vmlat-test", "-f", dir.resolve("id").toString());
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "stranger", "-f", dir.resolve("stranger").toString());
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation directory
        // 10.213.X.0/24 split in /30s, X from the pid so that two test JVMs do not collide
        int net = (int) (PID % 200) + 20;
        String[] names = {"a", "b", "c"};
        StringBuilder known = new StringBuilder();
        for (int i = 0; i < names.length; i++) {
            Server s = start(names[i], "10.213." + net + "." + (i * 4 + 1), "10.213." + net + "." + (i * 4 + 2));
            servers.put(s.name(), s);
            known.append(s.address()).append(' ').append(hostKey(s)).append('\n');
        }
        Files.writeString(dir.resolve("known_hosts"), known);
        sampler = new Thread(SshTargetNetnsTest::sample, "vmlat-ssh-test-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private static Server start(String name, String hostAddress, String nsAddress) throws Exception {
        String ns = "vmlat-ssh-" + PID + "-" + name;
        String hostIf = "vs" + (PID % 100000) + name, nsIf = hostIf + "n";
        Path sdir = Files.createDirectories(dir.resolve(name));
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "host-" + name, "-f", sdir.resolve("host_key").toString());
        Files.copy(dir.resolve("id.pub"), sdir.resolve("authorized_keys"));
        namespaces.add(ns);
        run("ip", "netns", "add", ns);
        links.add(hostIf);
        run("ip", "link", "add", hostIf, "type", "veth", "peer", "name", nsIf);
        run("ip", "link", "set", nsIf, "netns", ns);
        run("ip", "addr", "add", hostAddress + "/30", "dev", hostIf);
        run("ip", "link", "set", hostIf, "up");
        run("ip", "netns", "exec", ns, "ip", "addr", "add", nsAddress + "/30", "dev", nsIf);
        run("ip", "netns", "exec", ns, "ip", "link", "set", nsIf, "up");
        run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        Path config = sdir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + nsAddress, "Port 22", "HostKey " + sdir.resolve("host_key"),
                "AuthorizedKeysFile " + sdir.resolve("authorized_keys"), "PermitRootLogin prohibit-password",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no", "StrictModes no",
                "PidFile " + sdir.resolve("sshd.pid"), "SetEnv VMLAT_SSH_TEST=" + TAG + "-" + name, ""));
        Process sshd = new ProcessBuilder("ip", "netns", "exec", ns, "/usr/sbin/sshd", "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(sdir.resolve("sshd.log").toFile()).start();
        Server s = new Server(name, ns, hostIf, nsAddress, config, sshd);
        long end = System.currentTimeMillis() + 10_000;
        while (!Files.readString(sdir.resolve("sshd.log")).contains("Server listening")) {
            if (!sshd.isAlive() || System.currentTimeMillis() > end) throw new IllegalStateException("sshd " + name + " did not start: " + Files.readString(sdir.resolve("sshd.log")));
            Thread.sleep(20);
        }
        return s;
    }

    /** Namespaces of an earlier run of this test whose JVM was killed before its teardown. */
    private static void removeStaleNamespaces() throws Exception {
        for (String line : run("ip", "netns", "list").split("\n")) {
            Matcher m = Pattern.compile("^vmlat-ssh-(\\d+)-(\\w)\\b.*").matcher(line.strip());
            if (!m.matches() || ProcessHandle.of(Long.parseLong(m.group(1))).map(ProcessHandle::isAlive).orElse(false)) continue;
            tryRun("ip", "netns", "del", "vmlat-ssh-" + m.group(1) + "-" + m.group(2));
            tryRun("ip", "link", "del", "vs" + (Long.parseLong(m.group(1)) % 100000) + m.group(2));
        }
    }

    private static String hostKey(Server s) throws IOException {
        String[] w = Files.readString(dir.resolve(s.name()).resolve("host_key.pub")).strip().split(" ");
        return w[0] + " " + w[1];
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (sampler != null) sampler.interrupt();
        for (Server s : servers.values()) killSshd(s);
        for (String ns : namespaces) tryRun("ip", "netns", "del", ns);
        for (String link : links) tryRun("ip", "link", "del", link);
        // whatever a failed assertion left: only processes of this test's servers
        for (long pid : tagged().keySet()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (dir != null) tryRun("rm", "-rf", dir.toString());
        System.out.println("SshTargetNetnsTest: " + servers.size() + " sshd servers in network namespaces, " + CHECKS.get() + " checks passed");
    }

    @BeforeEach
    void forgetWhatRan() {
        seen.clear();
    }

    /** cyclictest measures on a; its load runs on a itself, then (for the "guest" target) on b. */
    @Test
    void aHostMeasuredWithCyclictestUnderALoadOnItAndUnderALoadOnAnotherTarget() throws Exception {
        Path plan = plan("""
                name = "ssh-hosts"
                duration = "1s"
                [matrix]
                target = ["a", "guest"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                load = ["cpu1"]
                [[load]]
                name = "cpu1"
                preset = "cpu"
                instances = 1
                """ + target("a", "a", "") + target("guest", "a", "b") + target("b", "b", ""));
        Path db = dir.resolve("hosts.db");
        Cli r = cli("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        List<ScenarioRecord> sc = scenarios(db);
        assertThat(sc).extracting(ScenarioRecord::status).containsExactly(ScenarioStatus.DONE, ScenarioStatus.DONE);
        String a = "root@" + servers.get("a").address() + ":22", b = "root@" + servers.get("b").address() + ":22";
        ScenarioRecord own = sc.get(0), other = sc.get(1);
        assertThat(own.settings()).containsEntry(SshTarget.FACT_HOST, a).containsEntry(SshTarget.FACT_LOAD_ON, a)
                .containsEntry("kernel.release", run("uname", "-r").strip()).containsKey("kernel.preemption").containsKey("clocksource");
        assertThat(other.settings()).containsEntry(SshTarget.FACT_HOST, a).containsEntry(SshTarget.FACT_LOAD_ON, b);
        assertThat(own.loadCommands()).startsWith("(on " + a + ") ").contains("stress-ng --cpu 1");
        assertThat(other.loadCommands()).startsWith("(on " + b + ") ");
        assertThat(own.probeCommand()).startsWith("cyclictest -m --policy=fifo -p95 -i1000").endsWith("(on " + a + ")");
        assertThat(own.count()).isBetween(900L, 1001L);
        // what ran where, seen in /proc: cyclictest on a only, the load on a and on b
        assertThat(seen).contains("a:cyclictest", "a:stress-ng", "b:stress-ng").doesNotContain("b:cyclictest");
        CHECKS.addAndGet(9);

        Cli doctor = cli("doctor", "--target", "a", plan.toString());
        assertThat(doctor.out()).as(doctor.err()).startsWith("# target a on " + a).contains("# vmlat doctor: " + run("uname", "-r").strip());
        assertThat(doctor.code()).isIn(0, 4);
        CHECKS.incrementAndGet();
        assertNothingLeft(0, "a", "b");
    }

    @Test
    void aWrongHostKeyAndAnUnknownKeyStopTheRunWithExit4BeforeAnythingRuns() throws Exception {
        Server a = servers.get("a"), b = servers.get("b");
        Path wrongKnown = dir.resolve("wrong_known_hosts");
        Files.writeString(wrongKnown, a.address() + " " + hostKey(b) + "\n"); // b's key for a's address
        String body = """
                duration = "1s"
                [matrix]
                target = ["a"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                """;
        Path hostKeyPlan = plan(body + target("a", "a", "").replace(dir.resolve("known_hosts").toString(), wrongKnown.toString()));
        Cli wrongHost = cli("lab", "run", hostKeyPlan.toString(), "--store", dir.resolve("wrong-host.db").toString(), "-q");
        assertThat(wrongHost.code()).as(wrongHost.out() + wrongHost.err()).isEqualTo(4);
        assertThat(wrongHost.err()).contains("target \"a\"").contains("host key of root@" + a.address() + ":22 is unknown or has changed");
        Cli doctor = cli("doctor", "--target", "a", hostKeyPlan.toString());
        assertThat(doctor.code()).as(doctor.out() + doctor.err()).isEqualTo(4);
        assertThat(doctor.err()).contains("host key of root@" + a.address() + ":22");

        Path keyPlan = plan(body + target("a", "a", "").replace(dir.resolve("id").toString(), dir.resolve("stranger").toString()));
        Cli unknownKey = cli("lab", "run", keyPlan.toString(), "--store", dir.resolve("wrong-key.db").toString(), "-q");
        assertThat(unknownKey.code()).as(unknownKey.out() + unknownKey.err()).isEqualTo(4);
        assertThat(unknownKey.err()).contains("refused the key " + dir.resolve("stranger"));
        // refused before anything ran: no scenario started, nothing ran in a
        assertThat(scenarios(dir.resolve("wrong-key.db"))).allSatisfy(s -> assertThat(s.startedMs()).isZero());
        assertThat(seen).noneMatch(s -> s.endsWith("cyclictest") || s.endsWith("stress-ng"));
        CHECKS.addAndGet(8);
    }

    /**
     * c's sshd dies while cyclictest and a load run there: that scenario fails saying so, the next
     * one (b measured with its load on this machine, through a local target) still runs, nothing
     * is left on c.
     */
    @Test
    void anSshdKilledMidScenarioFailsThatScenarioAndTheRunGoesOn() throws Exception {
        Path plan = plan("""
                name = "ssh-kill"
                duration = "2s"
                [matrix]
                target = ["c", "b-here"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                load = ["cpu1"]
                [[load]]
                name = "cpu1"
                preset = "cpu"
                instances = 1
                [[target]]
                name = "here"
                kind = "local"
                """ + target("c", "c", "") + target("b-here", "b", "here"));
        Path db = dir.resolve("kill.db");
        Server c = servers.get("c");
        Thread killer = new Thread(() -> {
            long end = System.currentTimeMillis() + 30_000;
            while (!seen.contains("c:cyclictest") && System.currentTimeMillis() < end) sleep(20);
            sleep(300);
            killSshd(c);
        }, "vmlat-ssh-test-killer");
        killer.start();
        Cli r = cli("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        killer.join();
        List<ScenarioRecord> sc = scenarios(db);
        assertThat(sc).as(r.out() + r.err()).extracting(ScenarioRecord::status).containsExactly(ScenarioStatus.FAILED, ScenarioStatus.DONE);
        assertThat(sc.get(0).reason()).contains("root@" + c.address() + ":22 stopped answering during the scenario").contains("cannot reach");
        assertThat(r.code()).isEqualTo(1); // a failed scenario
        assertThat(seen).contains("b:cyclictest").doesNotContain("b:stress-ng");
        assertThat(sc.get(1).settings()).containsEntry(SshTarget.FACT_HOST, "root@" + servers.get("b").address() + ":22")
                .containsEntry(SshTarget.FACT_LOAD_ON, "this machine");
        assertThat(sc.get(1).loadCommands()).startsWith("(on this machine) ").contains("stress-ng --cpu 1");
        CHECKS.addAndGet(6);
        assertNothingLeft(1, "c", "b");
    }

    /** The runner alone: argv reaches the remote program word for word, output streams, exit statuses, a timeout ends the whole group. */
    @Test
    void theRunnerQuotesStreamsAndKillsTheRemoteGroup() throws Exception {
        Server b = servers.get("b");
        SshSettings settings = new SshSettings(b.address(), 22, "root", dir.resolve("id"), dir.resolve("known_hosts"), true);
        try (SshSession ssh = new SshSession(settings); SshCommandRunner runner = new SshCommandRunner(ssh)) {
            ssh.connect();
            CommandResult words = runner.run(List.of("printf", "[%s]\\n", "it's", "$HOME", "a  b", "\"q\"", "`id`", ""), 20_000_000_000L);
            assertThat(words.ok()).isTrue();
            assertThat(words.stdout()).isEqualTo("[it's]\n[$HOME]\n[a  b]\n[\"q\"]\n[`id`]\n[]\n");
            CommandResult both = runner.run(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), 20_000_000_000L);
            assertThat(both.exitCode()).isEqualTo(3);
            assertThat(both.stdout()).isEqualTo("out\n");
            assertThat(both.stderr()).isEqualTo("err\n"); // the wrapper's own line is not passed on
            assertThat(runner.run(List.of("no-such-program-vmlat"), 20_000_000_000L).exitCode()).isEqualTo(127);
            long start = System.nanoTime();
            CommandResult slow = runner.run(List.of("sh", "-c", "sleep 300 & sleep 300"), 1_000_000_000L);
            assertThat(slow.timedOut()).isTrue();
            assertThat(System.nanoTime() - start).isLessThan(8_000_000_000L);
            String file = runner.createTempFile("vmlat-test-", ".json");
            assertThat(file).endsWith(".json");
            assertThat(runner.run(List.of("sh", "-c", "printf 'x\\ny' > \"$0\"", file), 20_000_000_000L).ok()).isTrue();
            assertThat(new String(runner.readFile(file), StandardCharsets.UTF_8)).isEqualTo("x\ny");
            runner.deleteFile(file);
            assertThat(Files.exists(Path.of(file))).isFalse(); // the namespace shares this file system
        }
        CHECKS.addAndGet(10);
        assertNothingLeft(0, "b");
    }

    /**
     * Loads left on a machine by a vmlat that no longer runs are ended when a run connects; a
     * load whose owner still runs (here: this test's JVM) is left alone.
     */
    @Test
    void connectingEndsTheLoadsOfDeadOwnersOnly() throws Exception {
        Server b = servers.get("b");
        SshSettings settings = new SshSettings(b.address(), 22, "root", dir.resolve("id"), dir.resolve("known_hosts"), true);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        SshMachine.Owner dead = new SshMachine.Owner(SshMachine.shortHost(), gone.pid(), 1), alive = SshMachine.Owner.current();
        Path loads = Path.of("/run/vmlat/ssh-loads");
        try (SshSession ssh = new SshSession(settings)) {
            ssh.connect();
            for (var owner : List.of(dead, alive)) {
                String base = loads + "/vmlat-" + owner.host() + "-" + owner.pid() + "-1";
                ssh.check("mkdir -p " + loads + " && { setsid sleep 300 </dev/null >/dev/null 2>&1 & p=$!; echo \"$p $(sed 's/.*) //' /proc/$p/stat | cut -d' ' -f20) "
                        + owner.line() + "\" > " + base + ".pid; }", 20_000);
            }
        }
        assertThat(tagged().values().stream().filter("b:sleep"::equals).count()).isEqualTo(2);
        List<String> said = new ArrayList<>();
        try (SshMachine m = new SshMachine(new SshSession(settings))) {
            m.connect(said::add);
        }
        assertThat(said).singleElement().asString().startsWith("ended vmlat-").contains("left by vmlat process " + gone.pid() + " which no longer runs");
        assertThat(Files.exists(loads.resolve("vmlat-" + dead.host() + "-" + dead.pid() + "-1.pid"))).isFalse();
        Path mine = loads.resolve("vmlat-" + alive.host() + "-" + alive.pid() + "-1.pid");
        assertThat(mine).exists();
        long sleeps = tagged().values().stream().filter("b:sleep"::equals).count();
        assertThat(sleeps).as("the live owner's load runs on").isEqualTo(1);
        long pgid = Long.parseLong(Files.readString(mine).split(" ")[0]);
        ProcessHandle.of(pgid).ifPresent(ProcessHandle::destroyForcibly);
        Files.delete(mine);
        CHECKS.addAndGet(5);
    }

    /** No process of these servers' sessions runs any more (within a few seconds: the watchers end groups asynchronously). */
    private static void assertNothingLeft(int unreachableLoads, String... names) throws Exception {
        long end = System.currentTimeMillis() + 8_000;
        Map<Long, String> left;
        do {
            left = new LinkedHashMap<>();
            for (var e : tagged().entrySet()) {
                for (String n : names) {
                    // the sshd processes themselves (a session's master connection lingers up to ControlPersist) are not the test's concern
                    if (e.getValue().equals(n + ":" + "sshd")) continue;
                    if (e.getValue().startsWith(n + ":")) left.put(e.getKey(), e.getValue());
                }
            }
            if (left.isEmpty()) break;
            Thread.sleep(100);
        } while (System.currentTimeMillis() < end);
        assertThat(left).as("processes left by the ssh targets").isEmpty();
        List<String> pidFiles = new ArrayList<>();
        Path loads = Path.of("/run/vmlat/ssh-loads");
        if (Files.isDirectory(loads)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(loads, "vmlat-*-" + PID + "-*")) {
                ds.forEach(p -> pidFiles.add(p.getFileName().toString()));
            }
        }
        // a load on a machine that stopped answering keeps its pid file there for the next run (its group is gone, see above)
        assertThat(pidFiles).as("pid files of this test's loads").hasSizeLessThanOrEqualTo(unreachableLoads * 2);
        for (String f : pidFiles) Files.deleteIfExists(loads.resolve(f));
        CHECKS.addAndGet(2);
    }

    /** Tagged processes: pid -> "server:comm". */
    private static Map<Long, String> tagged() {
        Map<Long, String> out = new LinkedHashMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : ds) {
                String env;
                try {
                    env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
                } catch (IOException | RuntimeException e) {
                    continue;
                }
                int i = env.indexOf("VMLAT_SSH_TEST=" + TAG + "-");
                if (i < 0) continue;
                String server = env.substring(i + ("VMLAT_SSH_TEST=" + TAG + "-").length()).split("\0", 2)[0];
                String comm;
                try {
                    comm = Files.readString(p.resolve("comm")).strip();
                } catch (IOException e) {
                    continue;
                }
                out.put(Long.parseLong(p.getFileName().toString()), server + ":" + comm);
            }
        } catch (IOException e) {
            // /proc unreadable: nothing seen
        }
        return out;
    }

    private static void sample() {
        while (!Thread.currentThread().isInterrupted()) {
            seen.addAll(tagged().values());
            try {
                Thread.sleep(40);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Kills a server's sshd as a crash would: the listener and every session process of it. */
    private static void killSshd(Server s) {
        ProcessHandle.of(s.sshd().pid()).ifPresent(h -> {
            h.descendants().filter(d -> d.info().command().map(c -> c.endsWith("sshd")).orElse(false)).forEach(ProcessHandle::destroyForcibly);
            h.destroyForcibly();
        });
        for (var e : tagged().entrySet()) {
            if (e.getValue().equals(s.name() + ":sshd")) ProcessHandle.of(e.getKey()).ifPresent(ProcessHandle::destroyForcibly);
        }
        try {
            s.sshd().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String target(String name, String server, String loadOn) {
        return "[[target]]\nname = \"" + name + "\"\nkind = \"ssh\"\nhost = \"" + servers.get(server).address() + "\"\nidentity = \"" + dir.resolve("id")
                + "\"\nknown_hosts = \"" + dir.resolve("known_hosts") + "\"\n" + (loadOn.isEmpty() ? "" : "load_on = \"" + loadOn + "\"\n");
    }

    private static Path plan(String text) throws IOException {
        Path p = Files.createTempFile(dir, "plan-", ".toml");
        Files.writeString(p, text);
        return p;
    }

    private static List<ScenarioRecord> scenarios(Path db) {
        try (ResultStore store = ResultStore.openSqlite(db)) {
            return store.scenarios(1);
        }
    }

    record Cli(int code, String out, String err) {}

    private static Cli cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(err)).execute(args);
        return new Cli(code, out.toString(), err.toString());
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    private static void tryRun(String... cmd) {
        try {
            run(cmd);
        } catch (IOException | RuntimeException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
