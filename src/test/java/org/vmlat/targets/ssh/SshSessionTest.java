package org.vmlat.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshSessionTest {
    static final SshSettings DOM0 = new SshSettings("dom0.lab", 2222, "root", Path.of("/keys/id"), Path.of("/keys/known"), true);

    @Test
    void unknownHostKeysSayHowToAddThem() {
        String m = SshSession.explain(DOM0, 255, "No ED25519 host key is known for [dom0.lab]:2222 and you have requested strict checking.\nHost key verification failed.\n");
        assertThat(m).contains("host key of root@dom0.lab:2222", "ssh-keyscan -p 2222 dom0.lab >> /keys/known");
    }

    @Test
    void refusedKeysAndUnreachableHostsAreToldApart() {
        assertThat(SshSession.explain(DOM0, 255, "root@dom0.lab: Permission denied (publickey).")).contains("refused the key /keys/id", "authorized_keys");
        assertThat(SshSession.explain(DOM0, 255, "ssh: connect to host dom0.lab port 2222: Connection refused")).startsWith("cannot reach root@dom0.lab:2222");
        assertThat(SshSession.explain(DOM0, 255, "ssh: Could not resolve hostname dom0.lab: Name or service not known")).startsWith("cannot reach");
        assertThat(SshSession.explain(DOM0, 255, "something new")).isEqualTo("ssh to root@dom0.lab:2222 failed: something new");
    }

    @Test
    void quotingSurvivesSingleQuotes() {
        assertThat(SshSession.quote("it's")).isEqualTo("'it'\\''s'");
    }

    @Test
    void aClosedPortIsReportedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh")), "openssh-client not installed");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path key = dir.resolve("id"), known = dir.resolve("known_hosts");
        Files.writeString(key, "not a key");
        Files.writeString(known, "");
        try (SshSession s = new SshSession(new SshSettings("127.0.0.1", port, "root", key, known, true))) {
            assertThatThrownBy(s::connect).isInstanceOf(SshException.class).hasMessageStartingWith("cannot reach root@127.0.0.1:" + port);
        }
    }

    @Test
    void aMissingKeyFileIsNamed(@TempDir Path dir) {
        try (SshSession s = new SshSession(new SshSettings("127.0.0.1", 22, "root", dir.resolve("nokey"), null, true))) {
            assertThatThrownBy(s::connect).hasMessageContaining("nokey").hasMessageContaining("does not exist");
        }
    }
}
