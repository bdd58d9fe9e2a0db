package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.cli.Vmlat;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.VmlatDirs;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * A real TCG guest measured under SCHED_DEADLINE and under CFS bandwidth, one scenario each: the
 * reservation read back while the guest ran is kept with the scenario, and nothing of it (restore
 * record, cpu group) is left afterwards. Needs root and QEMU.
 */
class GuestReservationTest {
    @Test
    void eachScenarioRecordsItsReservationAsReadBackAndLeavesNothing(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")) && "root".equals(System.getProperty("user.name")), "needs root and QEMU");
        Path plan = dir.resolve("plan.toml"), db = dir.resolve("r.db");
        Files.writeString(plan, """
                name = "guest-reservation"
                duration = "2s"
                timeout = "180s"
                [matrix]
                target = ["guest"]
                probe = ["cyclictest"]
                interval = ["1ms"]
                load = ["none"]
                reservation = ["deadline:2ms/10ms", "cfs:3ms/10ms"]
                [[target]]
                name = "guest"
                kind = "qemu"
                kernel = "nrt"
                accel = "tcg"
                """);
        StringWriter out = new StringWriter();
        int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(out)).execute("lab", "run", plan.toString(), "--store", db.toString(), "-q");
        assertThat(code).as(out.toString()).isZero();
        List<String> groups;
        try (ResultStore s = ResultStore.openSqlite(db)) {
            List<ScenarioRecord> all = s.scenarios(1);
            assertThat(all).hasSize(2).allMatch(r -> r.status() == ScenarioStatus.DONE);
            assertThat(all.get(0).settings().get(SettingsKeys.RESERVATION_APPLIED)).matches("tid \\d+ deadline 2000000/10000000/10000000 ns reset-on-fork");
            String cfs = all.get(1).settings().get(SettingsKeys.RESERVATION_APPLIED);
            assertThat(cfs).matches("tid \\d+ cgroup /vmlat-reservation-\\d+-\\d+ cpu.cfs_quota_us=3000 cpu.cfs_period_us=10000");
            assertThat(all.get(1).settings()).containsEntry(SettingsKeys.RESERVATION, "cfs:3ms/10ms").containsEntry(SettingsKeys.RESERVATION_BUDGET_NS, "3000000");
            Matcher m = Pattern.compile("cgroup (\\S+)").matcher(cfs);
            assertThat(m.find()).isTrue();
            groups = List.of(m.group(1));
        }
        assertThat(Path.of("/sys/fs/cgroup/cpu" + groups.get(0))).as("the scenario's cpu group").doesNotExist();
        Path records = VmlatDirs.state("reservations");
        if (Files.isDirectory(records)) {
            try (Stream<Path> left = Files.list(records)) {
                assertThat(left.filter(f -> {
                    try {
                        return Files.readString(f).contains("owner " + ProcessIdentity.self() + "\n");
                    } catch (Exception e) {
                        return false;
                    }
                }).toList()).as("restore records of this vmlat").isEmpty();
            }
        }
    }
}
