package org.vmlat.targets.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.PrivateFolder;

/** The ssh control socket's folder lives in vmlat's private folder, never loose in /tmp, and goes with the session. */
class SshControlFolderTest {
    @Test
    void theControlSocketFolderIsInThePrivateFolderAndGoesWithTheSession(@TempDir Path dir) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long looseBefore = loose(tmp);
        Path control;
        try (SshSession s = new SshSession(new SshSettings("127.0.0.1", 22, "root", dir.resolve("nokey"), null, true))) {
            String path = s.baseCommand().stream().filter(a -> a.startsWith("ControlPath=")).findFirst().orElseThrow();
            control = Path.of(path.substring("ControlPath=".length())).getParent();
            assertThat(control.getParent()).isEqualTo(PrivateFolder.get());
            assertThat(control).isDirectory();
            assertThat(control.resolve("cm").toString().getBytes().length).as("a unix socket path fits in 108 bytes").isLessThan(108);
        }
        assertThat(control).doesNotExist();
        assertThat(loose(tmp)).as("vmlat-ssh-* folders in " + tmp).isEqualTo(looseBefore);
    }

    private static long loose(Path tmp) throws Exception {
        try (Stream<Path> l = Files.list(tmp)) {
            return l.filter(p -> p.getFileName().toString().startsWith("vmlat-ssh-")).count();
        }
    }
}
