package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.cli.Vmlat;
import org.vmlat.explain.CrossBoundaryJson;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.os.PrivateFolder;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

/**
 * What the guest explain validations share: a one-scenario lab plan measuring cyclictest (1 ms) in a PREEMPT_RT guest
 * under TCG with explain on, its run in the background with the QEMU it started found once the guest's probe
 * started, and the stored explanations read back.
 */
final class TracedGuestRun {
    private static final Pattern CONSOLE = Pattern.compile("file:(\\S+/console\\.log)");

    private final CompletableFuture<Integer> run;
    private final StringWriter out;
    private final Path db;
    private final Set<Integer> earlier;

    private TracedGuestRun(CompletableFuture<Integer> run, StringWriter out, Path db, Set<Integer> earlier) {
        this.run = run;
        this.out = out;
        this.db = db;
        this.earlier = earlier;
    }

    /**
     * Writes the plan into {@code dir}: its name, the scenario's duration, the trace threshold, and further lines of
     * the {@code [[target]]} table ({@code pin = "1"}), empty for none.
     */
    static Path plan(Path dir, String name, String duration, String threshold, String targetLines) throws Exception {
        Path plan = dir.resolve(name + ".toml");
        Files.writeString(plan, """
                name = "%s"
                duration = "%s"
                timeout = "300s"
                [probe]
                explain = true
                trace_threshold = "%s"
                [matrix]
                target = ["g"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                [[target]]
                name = "g"
                kind = "qemu"
                kernel = "rt"
                accel = "tcg"
                boot_timeout = "240s"
                %s
                """.formatted(name, duration, threshold, targetLines));
        return plan;
    }

    /** Runs the plan to its end into the store {@code db}; its exit code must be 0. */
    static void runToEnd(Path plan, Path db) {
        TracedGuestRun r = start(plan, db);
        r.awaitSuccess();
    }

    /** Starts the plan's run in the background. */
    static TracedGuestRun start(Path plan, Path db) {
        // a guest of an earlier test in this JVM may still be shutting down under the same private folder, its console
        // saying VMLAT-START too: only a QEMU started by this run is ours
        Set<Integer> earlier = qemuPids();
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() ->
                Vmlat.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("lab", "run", plan.toString(), "--store", db.toString(), "-q"));
        return new TracedGuestRun(run, out, db, earlier);
    }

    /** This run's QEMU's pid (not an earlier one), once its guest's console says the probe started. */
    int awaitGuestStart() throws Exception {
        long end = System.currentTimeMillis() + 600_000;
        while (System.currentTimeMillis() < end && !run.isDone()) {
            Set<Integer> ours = qemuPids();
            ours.removeAll(earlier);
            for (int pid : ours) {
                String cmd;
                try {
                    cmd = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (NoSuchFileException gone) {
                    continue;
                }
                Matcher m = CONSOLE.matcher(cmd);
                if (m.find() && Files.exists(Path.of(m.group(1))) && Files.readString(Path.of(m.group(1))).contains("VMLAT-START")) return pid;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the guest did not start: " + (run.isDone() ? "the run ended: " + out : "timeout"));
    }

    /** Waits for the run's end; its exit code must be 0. */
    void awaitSuccess() {
        assertThat(run.join()).as(out.toString()).isZero();
    }

    /** The run's one scenario with its explanations and, when the host side was traced, that. */
    record Stored(ScenarioRecord scenario, List<SpikeExplanation> spikes, CrossBoundaryJson.Document host) {}

    Stored stored() throws Exception {
        return read(db);
    }

    static Stored read(Path db) throws Exception {
        try (ResultStore s = ResultStore.openSqlite(db)) {
            ScenarioRecord r = s.scenarios(1).get(0);
            String host = r.settings().get(SettingsKeys.EXPLAIN_HOST);
            return new Stored(r, ExplanationJson.read(r.settings().get(SettingsKeys.EXPLAIN)), host == null ? null : CrossBoundaryJson.read(host));
        }
    }

    /** The QEMUs running under this JVM's private folder. */
    static Set<Integer> qemuPids() {
        Set<Integer> out = new TreeSet<>();
        try {
            Process ps = new ProcessBuilder("pgrep", "-f", "^qemu-system-x86_64.*" + PrivateFolder.get()).start();
            String pids = new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!pids.isEmpty()) for (String p : pids.split("\\s+")) out.add(Integer.parseInt(p));
        } catch (java.io.IOException e) {
            throw new AssertionError("pgrep: " + e.getMessage(), e);
        }
        return out;
    }
}
