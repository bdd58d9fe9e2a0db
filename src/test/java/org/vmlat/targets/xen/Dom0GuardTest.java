package org.vmlat.targets.xen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.vmlat.targets.ssh.SshSession;
import org.vmlat.targets.ssh.SshSettings;

/**
 * The guard's own contract short of a Dom0 (XenSmokeTest kills a vmlat on the emulated Xen and checks what the guard
 * ends): its clean-up touches only one vmlat's names, and a guard that cannot start says why instead of guarding
 * nothing in silence.
 */
class Dom0GuardTest {
    @Test
    void theCleanUpNamesOneVmlatProcessOnly() {
        String script = Dom0Guard.cleanup("vmlat-host-1234-");
        // every pattern ends with the prefix's closing '-': vmlat-host-12345-1 is another process's
        assertThat(script).contains("case $d in vmlat-host-1234-*)", "case $pool in vmlat-host-1234-*)", "/run/vmlat/loads/vmlat-host-1234-*.pid",
                "rm -f /run/vmlat/vmlat-host-1234-*").doesNotContain("vmlat-host-1234*");
        for (String bad : new String[] {"vmlat-host-1234", "vmlat-*-", "vmlat-a b-1-", "other-host-1-", "vmlat-h;rm -rf /-1-"}) {
            assertThatThrownBy(() -> Dom0Guard.cleanup(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void aGuardThatCannotStartSaysWhy() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (SshSession ssh = new SshSession(new SshSettings("127.0.0.1", port, "root", null, null, false))) {
            StringBuilder why = new StringBuilder();
            long t0 = System.nanoTime();
            Dom0Guard g = Dom0Guard.start(ssh, "vmlat-host-1234-", why);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("Dom0GuardTest: no sshd on port " + port + ": " + why + " (" + ms + " ms)");
            assertThat(g).isNull();
            assertThat(why.toString()).startsWith("its shell ended at once").contains("Connection refused");
        }
    }
}
