package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.cli.Vmlat;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;

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
                load = ["none", "hackbench"]
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
                """);
        var out = new java.io.StringWriter();
        int code = Vmlat.commandLine(new java.io.PrintWriter(out), new java.io.PrintWriter(out))
                .execute("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(code).as(out.toString()).isZero();
        try (ResultStore s = ResultStore.openSqlite(db)) {
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all).hasSize(2).allMatch(r -> r.status().equals("done"));
            for (ScenarioRecord r : all) {
                assertThat(r.settings()).containsEntry("guest.realtime", "1").containsKey("qemu.accel");
                assertThat(r.settings().get("guest.release")).endsWith("-rt-amd64");
                assertThat(r.count()).isPositive();
                assertThat(r.threads().get(0).maxNs()).isGreaterThanOrEqualTo(r.threads().get(0).minNs());
            }
            assertThat(all.get(1).loadCommands()).contains("hackbench");
        }
        assertThat(out.toString()).contains("[2/2]");
        Process ps = new ProcessBuilder("pgrep", "-f", "qemu-system-x86_64.*vmlat").start();
        assertThat(new String(ps.getInputStream().readAllBytes()).strip()).as("QEMU processes left").isEmpty();
    }
}
