package org.vmlat.targets.kvm;

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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.cli.Vmlat;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.targets.emulated.EmulatedMachine;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.kvm.emulated.EmulatedKvm;
import org.vmlat.targets.kvm.emulated.KvmHostImageBuilder;
import org.vmlat.targets.ssh.SshSession;

/**
 * The remote-QEMU path end to end on the emulated KVM host (images from the cache when built
 * before): a plan with an ssh target for that host and a qemu target whose {@code host} names it,
 * run with {@code vmlat lab run}. One 2 s NRT guest under hackbench on that host, its QEMU threads
 * at SCHED_FIFO and its vCPU pinned (chrt and taskset over SSH): the scenario is done, the test
 * boot there chose KVM, the figures are marked EMULATED, the guest image was copied there once,
 * and afterwards nothing of the run is left on the emulated host (no QEMU, no load, no guest
 * directory) nor here.
 */
class RemoteQemuSmokeTest {
    @Test
    void innerKvmGuestMeasuredThroughAPlan(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "openssh-client not installed");
        Path state = dir.resolve("kvm-state");
        EmulatedKvm kvm = new EmulatedKvm(state,
                new KvmHostImageBuilder(KvmHostImageBuilder.defaultCacheDir(), new GuestImageBuilder(GuestImageBuilder.defaultCacheDir())));
        long pid = -1;
        int port = -1;
        try {
            // generous: other QEMUs may share this machine's two cores
            EmulatedMachine.Running m = kvm.up(0, 3072, 2, 1800, 900_000, p -> { });
            pid = m.pid();
            port = m.port();
            Path plan = dir.resolve("plan.toml");
            Files.writeString(plan, """
                    name = "remote-qemu-smoke"
                    duration = "2s"
                    timeout = "900s"
                    [probe]
                    threads = 1
                    policy = "fifo"
                    [matrix]
                    target = ["guest"]
                    probe = ["cyclictest"]
                    interval = ["1ms"]
                    load = ["hackbench"]
                    priority = [90]
                    [[target]]
                    name = "kvmhost"
                    kind = "ssh"
                    host = "127.0.0.1"
                    port = %d
                    identity = "%s"
                    known_hosts = "%s"
                    [[target]]
                    name = "guest"
                    kind = "qemu"
                    host = "kvmhost"
                    kernel = "nrt"
                    pin = "1"
                    qemu_priority = 90
                    boot_timeout = "600s"
                    [[load]]
                    name = "hackbench"
                    preset = "scheduler"
                    placement = "host"
                    """.formatted(m.port(), m.identity(), m.knownHosts()));
            Path db = dir.resolve("results.db");
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = Vmlat.commandLine(new PrintWriter(out), new PrintWriter(err)).execute("lab", "run", plan.toString(), "--store", db.toString(), "-q");
            List<ScenarioRecord> sc;
            try (ResultStore store = ResultStore.openSqlite(db)) {
                sc = store.scenarios(1);
            }
            assertThat(sc).as(out + "" + err).singleElement().satisfies(s -> assertThat(s.status()).as(s.reason()).isEqualTo(ScenarioStatus.DONE));
            assertThat(code).as(out + "" + err).isZero();
            ScenarioRecord s = sc.get(0);
            assertThat(s.settings()).containsEntry("qemu.accel", "kvm").containsEntry("guest.accel", "kvm")
                    .containsEntry("qemu.host", "root@127.0.0.1:" + m.port()).containsEntry("qemu.qemu_priority", "90")
                    .containsEntry(SettingsKeys.EMULATED, EmulatedKvm.EMULATION).containsEntry("guest.realtime", "0");
            assertThat(s.settings().get("qemu.command")).contains("-accel kvm", "-cpu host", "debug-threads=on");
            assertThat(s.warnings()).anyMatch(w -> w.startsWith("EMULATED: QEMU's host root@127.0.0.1:"));
            assertThat(s.loadCommands()).contains("hackbench");
            assertThat(s.count()).isPositive();
            try (SshSession ssh = new SshSession(m.ssh())) {
                ssh.connect();
                assertThat(ssh.check("ls /var/lib/vmlat/images", 60_000)).contains("linux-image");
                // this shell's own line names what it looks for: skipped
                String left = ssh.check("for p in /proc/[0-9]*; do [ \"${p#/proc/}\" = $$ ] && continue; c=$(tr '\\0' ' ' < $p/cmdline 2>/dev/null); case \"$c\" in *vmlat-guest*|*hackbench*) echo \"${p#/proc/} $c\";; esac; done;"
                        + " ls -d /tmp/vmlat-guest-* /tmp/vmlat-kvm-check-* 2>/dev/null; ls /run/vmlat/ssh-loads 2>/dev/null | grep -v '^accel-'; true", 60_000);
                assertThat(left).as("left on the emulated host").isBlank();
            }
        } finally {
            kvm.down();
            assertThat(kvm.running()).isEmpty();
            if (pid > 0) assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("QEMU left running").isFalse();
            assertThat(processesNaming(state.toString())).as("processes of this test left running").isEmpty();
            String sshPort = "-p " + port + " ";
            assertThat(processesNaming("127.0.0.1")).filteredOn(p -> p.contains("ssh") && p.contains(sshPort)).as("ssh clients left running").isEmpty();
        }
    }

    /** Processes whose command line names {@code text}. */
    private static List<String> processesNaming(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmd.contains(text)) found.add(p.getFileName() + ": " + cmd);
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        }
        return found;
    }
}
