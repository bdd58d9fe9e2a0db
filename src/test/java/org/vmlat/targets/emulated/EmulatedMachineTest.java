package org.vmlat.targets.emulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.ProcessGroups;

/** The state file: a machine counts as running only while its process (pid and start time) lives. */
class EmulatedMachineTest {
    static Path state(Path dir, long pid, long startTicks) throws IOException {
        Files.createDirectories(dir);
        return Files.writeString(dir.resolve("machine.properties"), String.join("\n", "pid=" + pid, "start_ticks=" + startTicks, "port=2222",
                "identity=/k/id", "known_hosts=/s/known_hosts", "console=/s/console.log", "started_ms=1000", "lifetime_s=7200",
                "kernel_package=linux-image-6.1.0-57-amd64", ""));
    }

    @Test
    void aLiveProcessIsTheMachineWithItsLabels(@TempDir Path dir) throws IOException {
        long me = ProcessHandle.current().pid();
        state(dir, me, ProcessGroups.startTime(me));
        EmulatedMachine m = new EmulatedMachine(dir, "the test machine", "READY", "ERROR");
        EmulatedMachine.Running r = m.running().orElseThrow();
        assertThat(r.pid()).isEqualTo(me);
        assertThat(r.port()).isEqualTo(2222);
        assertThat(r.label("kernel_package")).isEqualTo("linux-image-6.1.0-57-amd64");
        assertThat(r.labels()).doesNotContainKeys("pid", "port", "identity");
        assertThat(r.ssh().where()).isEqualTo("root@127.0.0.1:2222");
        assertThat(r.ssh().checkHostKey()).isTrue();
        assertThat(r.ssh().knownHosts()).isEqualTo(Path.of("/s/known_hosts"));
    }

    @Test
    void aReusedPidOrAGoneProcessIsNothingAndItsStateIsRemoved(@TempDir Path dir) throws IOException {
        long me = ProcessHandle.current().pid();
        Path f = state(dir, me, ProcessGroups.startTime(me) + 1);
        EmulatedMachine m = new EmulatedMachine(dir, "the test machine", "READY", "ERROR");
        assertThat(m.running()).isEmpty();
        assertThat(f).doesNotExist();
        state(dir, Integer.MAX_VALUE, 1);
        assertThat(m.down()).isFalse();
        assertThat(f).doesNotExist();
    }

    @Test
    void aMalformedStateIsNothing(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("machine.properties"), "pid=x\n");
        assertThat(new EmulatedMachine(dir, "m", "READY", "ERROR").running()).isEmpty();
        assertThat(new EmulatedMachine(dir.resolve("none"), "m", "READY", "ERROR").running()).isEmpty();
    }

    @Test
    void qemuRunsInItsOwnSessionUnderAKillingTimeoutWithSshForwarded() {
        assertThat(EmulatedMachine.watchdog(600)).containsExactly("setsid", "timeout", "--signal=KILL", "600s");
        assertThat(EmulatedMachine.sshForward(2222)).containsExactly("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:2222-:22", "-device", "e1000,netdev=n0");
    }
}
