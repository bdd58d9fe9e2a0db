package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.PrivateFolder;
import org.vmlat.cli.Vmlat;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * Builds a PREEMPT_RT guest image from Debian's kernel and boots it under QEMU for a few seconds
 * of cyclictest, as a lab scenario with all QEMU threads at SCHED_FIFO: the result is parsed, the
 * guest reports itself real-time, and no QEMU process is left.
 */
class GuestSmokeTest {
    @Test
    void rtGuestBootsMeasuresAndLeavesNothingBehind(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 not installed");
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, """
                name = "guest-smoke"
                duration = "2s"
                [probe]
                affinity = "1"
                [matrix]
                target = ["rt-guest"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                load = ["none", "hackbench", "everywhere"]
                [[target]]
                name = "rt-guest"
                kind = "qemu"
                kernel = "rt"
                pin = "1"
                qemu_priority = 90
                [[load]]
                name = "hackbench"
                preset = "scheduler"
                placement = "guest"
                [[load]]
                name = "everywhere"
                preset = "scheduler"
                placement = "both"
                instances = 1
                """);
        var out = new java.io.StringWriter();
        int code = Vmlat.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(out))
                .execute("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(code).as(out.toString()).isZero();
        try (ResultStore s = ResultStore.openSqlite(db)) {
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all).hasSize(3).allMatch(r -> r.status() == ScenarioStatus.DONE);
            for (ScenarioRecord r : all) {
                assertThat(r.settings()).containsEntry("guest.realtime", "1").containsKey("qemu.accel");
                assertThat(r.settings().get("guest.release")).endsWith("-rt-amd64");
                assertThat(r.count()).isPositive();
                assertThat(r.threads().get(0).maxNs()).isGreaterThanOrEqualTo(r.threads().get(0).minNs());
            }
            assertThat(all.get(1).loadCommands()).startsWith("(in the guest) hackbench");
            assertThat(all.get(2).loadCommands()).contains("/hackbench --groups 1").contains("+ (in the guest) hackbench");
        }
        assertThat(out.toString()).contains("[3/3]");
        assertThat(qemuLeft()).as("QEMU processes left").isEmpty();
    }

    /** QEMU processes this JVM's vmlat started (their sockets live in its private folder): other runs' guests are not ours to count. */
    static String qemuLeft() throws Exception {
        Process ps = new ProcessBuilder("pgrep", "-f", "qemu-system-x86_64.*" + PrivateFolder.get()).start();
        return new String(ps.getInputStream().readAllBytes()).strip();
    }

    /** A guest that never boots (QEMU started paused) is killed after its boot timeout and recorded as failed. */
    @Test
    void aHungGuestIsKilledAndTheRunGoesOn(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 not installed");
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, """
                name = "hang"
                duration = "1s"
                [matrix]
                target = ["frozen", "host"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                [[target]]
                name = "frozen"
                kind = "qemu"
                kernel = "rt"
                qemu_args = ["-S"]
                boot_timeout = "4s"
                [[target]]
                name = "host"
                """);
        var out = new java.io.StringWriter();
        int code = Vmlat.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(out))
                .execute("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(code).as(out.toString()).isEqualTo(1);
        try (ResultStore s = ResultStore.openSqlite(db)) {
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all.get(0).status()).isEqualTo(ScenarioStatus.FAILED);
            assertThat(all.get(0).reason()).contains("did not boot within 4 s").contains("killed");
            assertThat(all.get(1).status()).isEqualTo(ScenarioStatus.DONE);
        }
        assertThat(qemuLeft()).isEmpty();
    }
}
