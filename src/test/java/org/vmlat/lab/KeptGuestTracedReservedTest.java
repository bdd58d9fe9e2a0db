package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.cli.Vmlat;
import org.vmlat.explain.CrossBoundaryJson;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.VmlatDirs;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.targets.reservation.RestoreRecord;

/**
 * A plan whose scenarios are traced (explain) and differ in their reservation, on one kept PREEMPT_RT guest under
 * emulation (TCG): one boot for all, each scenario's explanations (the guest's spikes and their host side, aligned by
 * the clock round trips) and its reservation as read back stored with it, nothing left after the run; and a vmlat
 * killed (SIGKILL) while the kept guest measures under a reservation leaves a restore record that the next
 * {@code vmlat measure} undoes. Needs root and QEMU.
 */
class KeptGuestTracedReservedTest {
    private static final long THRESHOLD_NS = 300_000;

    static void assumeRootAndQemu() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")) && "root".equals(System.getProperty("user.name")), "needs root and QEMU");
    }

    static String plan(String duration, boolean explain, String reservations) {
        return """
                name = "kept-guest"
                duration = "%s"
                timeout = "300s"
                [probe]
                explain = %s
                trace_threshold = "300us"
                [matrix]
                target = ["g"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                load = ["none"]
                reservation = [%s]
                [[target]]
                name = "g"
                kind = "qemu"
                kernel = "rt"
                accel = "tcg"
                boot_timeout = "240s"
                """.formatted(duration, explain, reservations);
    }

    @Test
    void threeTracedScenariosWithDifferentReservationsShareOneBoot(@TempDir Path dir) throws Exception {
        assumeRootAndQemu();
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, plan("3s", true, "\"none\", \"deadline:2ms/10ms\", \"cfs:5ms/10ms\""));
        StringWriter out = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(code).as(out.toString()).isZero();
        List<ScenarioRecord> all;
        try (ResultStore s = ResultStore.openSqlite(db)) {
            all = s.scenarios(1);
        }
        List<String> lines = new ArrayList<>();
        for (ScenarioRecord r : all) {
            List<SpikeExplanation> spikes = ExplanationJson.read(r.settings().get(SettingsKeys.EXPLAIN));
            String host = r.settings().get(SettingsKeys.EXPLAIN_HOST);
            int samples = host == null ? -1 : CrossBoundaryJson.read(host).alignment().samples();
            lines.add(r.settings().get(SettingsKeys.RESERVATION) + ": boot " + r.settings().get(SettingsKeys.GUEST_BOOT) + " #"
                    + r.settings().get("guest.boot_scenario") + ", clean " + r.settings().get("guest.clean") + ", max " + r.maxNs() / 1000 + " us, "
                    + spikes.size() + " spikes explained, clock alignment from " + samples + " round trips, applied "
                    + r.settings().get(SettingsKeys.RESERVATION_APPLIED) + ", warnings " + r.warnings());
        }
        System.out.println("KeptGuestTracedReservedTest: " + String.join("; ", lines));
        assertThat(all).hasSize(3).allSatisfy(r -> assertThat(r.status()).as(r.reason()).isEqualTo(ScenarioStatus.DONE));
        assertThat(all.stream().map(r -> r.settings().get(SettingsKeys.RESERVATION)).toList())
                .containsExactly("none", "deadline:2ms/10ms", "cfs:5ms/10ms");
        assertThat(all.stream().map(r -> r.settings().get(SettingsKeys.GUEST_BOOT)).toList()).containsExactly("fresh", "reused", "reused");
        assertThat(all.stream().map(r -> r.settings().get("guest.boot_scenario")).toList()).containsExactly("1", "2", "3");
        assertThat(all.stream().map(r -> r.settings().get("guest.clean")).toList()).containsOnly("yes");
        for (ScenarioRecord r : all) {
            assertThat(r.settings()).as("scenario %s, warnings %s", r.dims(), r.warnings()).containsKeys(SettingsKeys.EXPLAIN, SettingsKeys.EXPLAIN_HOST)
                    .containsEntry(SettingsKeys.TRACE_THRESHOLD_NS, Long.toString(THRESHOLD_NS));
            assertThat(Long.parseLong(r.settings().get(TracedTargetExplanations.TRACE_BYTES))).isPositive();
            List<SpikeExplanation> spikes = ExplanationJson.read(r.settings().get(SettingsKeys.EXPLAIN));
            // cyclictest's maximum includes its own clock read after the switch-in: a maximum just over the threshold
            // may have no traced spike, one well over it must
            if (r.maxNs() > THRESHOLD_NS + 100_000) assertThat(spikes).as("spikes of " + r.dims()).isNotEmpty();
            assertThat(spikes).allSatisfy(e -> assertThat(e.latencyNs()).isGreaterThanOrEqualTo(THRESHOLD_NS));
            assertThat(CrossBoundaryJson.read(r.settings().get(SettingsKeys.EXPLAIN_HOST)).alignment().samples()).isGreaterThanOrEqualTo(10);
        }
        assertThat(all.get(0).settings()).doesNotContainKey(SettingsKeys.RESERVATION_APPLIED);
        assertThat(all.get(1).settings().get(SettingsKeys.RESERVATION_APPLIED)).matches("tid \\d+ deadline 2000000/10000000/10000000 ns reset-on-fork");
        String cfs = all.get(2).settings().get(SettingsKeys.RESERVATION_APPLIED);
        assertThat(cfs).matches("tid \\d+ cgroup /vmlat-reservation-\\d+-\\d+ cpu.cfs_quota_us=5000 cpu.cfs_period_us=10000");
        String group = cfs.replaceAll(".* cgroup (\\S+) .*", "$1");
        assertThat(Path.of("/sys/fs/cgroup/cpu" + group)).as("the scenario's cpu group").doesNotExist();
        assertThat(ownRecords(VmlatDirs.state("reservations"), ProcessIdentity.self())).as("restore records of this vmlat").isEmpty();
        assertThat(GuestSmokeTest.qemuLeft()).as("QEMU processes left").isEmpty();
    }

    @Test
    void aKillDuringTheReservedScenarioOfAKeptGuestIsRestoredByTheNextMeasure(@TempDir Path dir) throws Exception {
        assumeRootAndQemu();
        Path plan = dir.resolve("plan.toml");
        // the reserved scenario is the second: it runs on the guest the first one booted
        Files.writeString(plan, plan("20s", false, "\"none\", \"cfs:5ms/10ms\""));
        Path records = dir.resolve("state").resolve("reservations");
        Process vmlat = LabFaultsTest.vmlat(dir, "lab", "run", plan.toString(), "--store", dir.resolve("r.db").toString(), "-q");
        long end = System.currentTimeMillis() + 600_000;
        Optional<RestoreRecord> record = Optional.empty();
        Path recordFile = null;
        // every QEMU this vmlat started (its sockets are in the state folder's private folders): one boot for both scenarios
        Set<Long> qemus = new TreeSet<>();
        while (record.isEmpty() && vmlat.isAlive() && System.currentTimeMillis() < end) {
            Process ps = new ProcessBuilder("pgrep", "-f", "^qemu-system-x86_64 .*" + dir.resolve("state")).start();
            for (String pid : new String(ps.getInputStream().readAllBytes()).strip().split("\n")) if (!pid.isBlank()) qemus.add(Long.parseLong(pid));
            if (Files.isDirectory(records)) {
                try (Stream<Path> files = Files.list(records)) {
                    for (Path f : files.filter(f -> f.toString().endsWith(".restore")).toList()) {
                        record = RestoreRecord.read(f);
                        recordFile = f;
                    }
                }
            }
            Thread.sleep(200);
        }
        assertThat(record).as("a restore record while the reserved scenario runs").isPresent();
        Thread.sleep(2000); // into the measurement
        ProcessIdentity killed = ProcessIdentity.of(vmlat.pid()).orElseThrow();
        vmlat.destroyForcibly(); // SIGKILL: nothing of vmlat restores
        assertThat(vmlat.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String group = record.get().created();
        boolean recordAfterKill = Files.exists(recordFile);
        Process next = LabFaultsTest.vmlat(dir, "measure", "-D", "1", "-q");
        assertThat(next.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String said = LabFaultsTest.output(dir).lines().filter(l -> l.contains("restored a reservation")).findFirst().orElse("");
        System.out.println("KeptGuestTracedReservedTest: killed vmlat " + killed + " during " + record.get().reservation() + " on QEMU "
                + record.get().qemu() + " (group " + group + "); record there after the kill " + recordAfterKill + ", after the next measure "
                + Files.exists(recordFile) + "; group after " + Files.exists(Path.of("/sys/fs/cgroup/cpu" + group)) + "; QEMU processes seen " + qemus
                + "; the next measure said: "
                + said.strip().replace('\n', '|'));
        assertThat(record.get().owner()).isEqualTo(killed);
        assertThat(record.get().reservation()).isEqualTo("cfs:5ms/10ms");
        assertThat(qemus).as("the reserved scenario runs on the guest the first one booted").containsExactly(record.get().qemu().pid());
        assertThat(recordAfterKill).as("the record outlives the killed vmlat").isTrue();
        assertThat(recordFile).as("the record after the next measure").doesNotExist();
        assertThat(Path.of("/sys/fs/cgroup/cpu" + group)).as("the reservation's cpu group after the next measure").doesNotExist();
        assertThat(said).contains("restored a reservation left by a vmlat that died: cfs:5ms/10ms");
    }

    /** Restore records whose owner is {@code owner}. */
    static List<Path> ownRecords(Path records, ProcessIdentity owner) throws Exception {
        if (!Files.isDirectory(records)) return List.of();
        try (Stream<Path> files = Files.list(records)) {
            return files.filter(f -> {
                try {
                    return RestoreRecord.read(f).map(r -> owner.equals(r.owner())).orElse(false);
                } catch (Exception e) {
                    return false;
                }
            }).toList();
        }
    }
}
