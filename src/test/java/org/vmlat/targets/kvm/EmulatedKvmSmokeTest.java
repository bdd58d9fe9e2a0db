package org.vmlat.targets.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.targets.emulated.EmulatedMachine;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.kvm.emulated.EmulatedKvm;
import org.vmlat.targets.kvm.emulated.KvmHostImageBuilder;
import org.vmlat.targets.ssh.SshSession;

/**
 * Boots the emulated KVM host (images from the cache when built before), checks over SSH that
 * kvm_amd runs with nested paging and that the host says it is emulated, boots one short inner
 * guest there with {@code -accel kvm} and reads its cyclictest result, then ends the host: no
 * process that this test started (they all name its own state directory) is left.
 */
class EmulatedKvmSmokeTest {
    @Test
    void innerKvmGuestMeasuresOverSsh(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "openssh-client not installed");
        Path state = dir.resolve("kvm-state");
        EmulatedKvm kvm = new EmulatedKvm(state,
                new KvmHostImageBuilder(KvmHostImageBuilder.defaultCacheDir(), new GuestImageBuilder(GuestImageBuilder.defaultCacheDir())));
        List<String> progress = new ArrayList<>();
        long pid = -1;
        try {
            // generous: other QEMUs may share this machine's two cores
            EmulatedMachine.Running m = kvm.up(0, 3072, 2, 1800, 900_000, progress::add);
            pid = m.pid();
            try (SshSession ssh = new SshSession(m.ssh())) {
                ssh.connect();
                assertThat(ssh.check("cat /proc/modules", 60_000)).containsPattern("(?m)^kvm_amd ");
                assertThat(ssh.check("cat /sys/module/kvm_amd/parameters/npt", 60_000).strip()).isEqualTo("Y");
                assertThat(ssh.check("dmesg", 60_000)).contains("Nested Paging enabled");
                assertThat(ssh.check("cat /etc/vmlat-emulated", 60_000)).contains("QEMU full emulation");

                List<String> args = List.of("-m", "--policy=fifo", "-p90", "-i1000", "-t1", "-h10000", "-D2", "-l2000", "-q");
                SshSession.Result r = ssh.run(EmulatedKvm.innerGuestCommand("nrt", args, "/tmp/smoke.txt", 600), null, 660_000);
                String console = ssh.run("cat /tmp/smoke.txt.console", null, 60_000).out();
                assertThat(r.exit()).as("inner QEMU: %s %s; console: %s", r.out(), r.err(), console).isZero();
                GuestOutput g = GuestOutput.parse("inner KVM guest", ssh.check("cat /tmp/smoke.txt", 60_000), 1_000_000L, 2_000_000_000L);
                assertThat(g.exitCode()).isZero();
                assertThat(g.threads()).singleElement().satisfies(t -> assertThat(t.count()).isPositive());
                assertThat(g.facts()).containsEntry("guest.realtime", "0").containsKey("guest.release");
                assertThat(console).contains("VMLAT-END rc=0");
            }
        } finally {
            kvm.down();
            assertThat(kvm.running()).isEmpty();
            assertThat(state.resolve("machine.properties")).doesNotExist();
            if (pid > 0) assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("QEMU left running").isFalse();
            assertThat(processesNaming(state.toString())).as("processes of this test left running").isEmpty();
        }
    }

    /** Processes whose command line names {@code text}: the outer QEMU names its console file in the state directory. */
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
