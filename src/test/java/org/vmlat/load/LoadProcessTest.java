package org.vmlat.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.ProcessGroups;
import org.vmlat.os.ProcessIdentity;

/** A paused QEMU started as vmlat starts guests dies with the JVM that started it, SIGKILL included. */
class LoadProcessTest {
    static final List<String> PAUSED_QEMU = List.of("qemu-system-x86_64", "-S", "-machine", "none", "-display", "none", "-nodefaults");

    /** Starts a paused QEMU as a load recorded in args[0], prints its group id, waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            LoadProcess qemu = LoadProcess.start(new LoadSpec("qemu-test", "", PAUSED_QEMU, 1, Placement.HOST), PAUSED_QEMU, Path.of(args[0]));
            System.out.println(qemu.pid() + " " + qemu.commandPid());
            System.out.flush();
            Thread.sleep(300_000);
        }
    }

    @Test
    void aPausedQemuDiesWithItsSigkilledVmlat(@TempDir Path state) throws Exception {
        assumeTrue(new ProcessBuilder("sh", "-c", "command -v qemu-system-x86_64").start().waitFor() == 0, "no QEMU");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dvmlat.tmpdir=" + state.resolve("tmp"), Parent.class.getName(), state.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        long pgid, qemuPid;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            String[] ids = r.readLine().strip().split(" ");
            pgid = Long.parseLong(ids[0]);
            qemuPid = Long.parseLong(ids[1]);
        }
        LoadRecord rec = LoadRecord.read(state.resolve(Long.toString(pgid))).orElseThrow();
        assertThat(rec.owner()).contains(ProcessIdentity.of(parent.pid()).orElseThrow());
        assertThat(Files.readString(Path.of("/proc/" + qemuPid + "/comm")).strip()).startsWith("qemu-system");
        parent.destroyForcibly();
        assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long end = System.currentTimeMillis() + 5000;
        while (ProcessGroups.members(pgid) > 0 && System.currentTimeMillis() < end) Thread.sleep(50);
        int left = ProcessGroups.members(pgid);
        System.out.println("LoadProcessTest: processes of a paused QEMU's group left 5 s after SIGKILL of its vmlat: " + left);
        assertThat(left).isZero();
    }
}
