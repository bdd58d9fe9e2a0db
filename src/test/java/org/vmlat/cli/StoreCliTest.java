package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunStatus;

/** --store URLs, and commands that only read working on a store nobody may write. */
class StoreCliTest {
    static int sh(String... cmd) throws Exception {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    @Test
    void storeUrls(@TempDir Path dir) {
        CliTest.Run unknown = CliTest.run("runs", "list", "--store", "mysql://lab.example/vmlat");
        assertThat(unknown.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).contains("--store").contains("not supported yet");

        Path missing = dir.resolve("none.db");
        CliTest.Run none = CliTest.run("runs", "list", "--store", missing.toString());
        assertThat(none.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(none.err()).contains("no store at " + missing);
        assertThat(Files.exists(missing)).as("reading creates nothing").isFalse();

        Path db = dir.resolve("r.db");
        try (ResultStore s = ResultStore.open(db.toString())) {
            s.createRun("by-url", "p.toml", "t", Map.of(), Map.of());
        }
        CliTest.Run list = CliTest.run("runs", "list", "--store", "sqlite:" + db);
        assertThat(list.code()).isZero();
        assertThat(list.out()).containsPattern("(?m)^1 +by-url .* running +0/0 +0$");
    }

    @Test
    void runsListWorksOnAReadOnlyFileSystem(@TempDir Path dir) throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("mnt"));
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()) == 0, "mounting a tmpfs needs root");
        try {
            Path db = mnt.resolve("r.db"), v1 = mnt.resolve("v1.db");
            try (ResultStore s = ResultStore.open(db.toString())) {
                long run = s.createRun("ro", "p.toml", "t", Map.of(), Map.of());
                s.addScenarios(run, List.of(Map.of("load", "none")));
                s.setRunStatus(run, RunStatus.DONE, true);
            }
            try (InputStream in = ResultStore.class.getResourceAsStream("store-v1.db")) {
                Files.copy(in, v1);
            }
            assumeTrue(sh("mount", "-o", "remount,ro", mnt.toString()) == 0, "remounting read-only");

            CliTest.Run list = CliTest.run("runs", "list", "--store", db.toString());
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).containsPattern("(?m)^1 +ro .* done +0/1 +0$");
            assertThat(CliTest.run("runs", "show", "1", "--store", db.toString()).code()).isZero();

            CliTest.Run old = CliTest.run("runs", "list", "--store", v1.toString());
            assertThat(old.code()).isEqualTo(ExitCodes.ERROR);
            assertThat(old.err()).contains("store schema 1, older than this vmlat's " + ResultStore.SCHEMA_VERSION).contains("read-only file system");
        } finally {
            sh("umount", "-l", mnt.toString());
        }
    }
}
