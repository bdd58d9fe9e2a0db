package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs vmlat as an unprivileged user (setpriv drops to nobody with no capabilities): SCHED_FIFO
 * and mlockall are then really refused by the kernel, and vmlat must say so and refuse to measure.
 */
class RtRefusalTest {
    static Path copyOfClasses;

    record Result(int code, String output) {}

    static Result runAsNobody(String... args) throws Exception {
        assumeTrue(new File("/usr/bin/setpriv").canExecute(), "setpriv (util-linux) not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to drop to nobody");
        // the test classpath may sit below directories nobody cannot enter: copy it to a world-readable place
        Path dir = Files.createTempDirectory("vmlat-nobody");
        List<String> cp = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path src = Path.of(entry);
            Path dst = dir.resolve("cp" + (i++) + (Files.isDirectory(src) ? "" : ".jar"));
            if (Files.isDirectory(src)) {
                try (var walk = Files.walk(src)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        Path t = dst.resolve(src.relativize(p).toString());
                        if (Files.isDirectory(p)) Files.createDirectories(t);
                        else Files.copy(p, t);
                    }
                }
            } else if (Files.exists(src)) {
                Files.copy(src, dst);
            }
            cp.add(dst.toString());
        }
        new ProcessBuilder("chmod", "-R", "a+rX", dir.toString()).start().waitFor();
        new ProcessBuilder("chmod", "a+rwx", dir.toString()).start().waitFor(); // JNA unpacks its stub here
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                "--inh-caps=-all", "--bounding-set=-all", "--",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djna.tmpdir=" + dir, "-Djava.io.tmpdir=" + dir,
                "-cp", String.join(File.pathSeparator, cp), "org.vmlat.cli.Vmlat"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
        return new Result(p.exitValue(), out);
    }

    @Test
    void refusedRealtimeIsLoudAndMeasuresNothing() throws Exception {
        Result r = runAsNobody("measure", "-D", "1s", "--no-mlockall");
        assertThat(r.code()).as(r.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.output()).contains("SCHED_FIFO priority 95 refused").contains("EPERM").contains("CAP_SYS_NICE")
                .doesNotContain("count");
    }

    @Test
    void refusedMlockallIsLoudToo() throws Exception {
        Result r = runAsNobody("measure", "-D", "1s");
        assertThat(r.code()).as(r.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.output()).contains("mlockall refused").containsPattern("ENOMEM|EPERM");
    }

    @Test
    void allowNonRtMeasuresAndMarksTheResult() throws Exception {
        Result r = runAsNobody("measure", "-D", "1s", "--allow-nonrt", "-q");
        assertThat(r.code()).as(r.output()).isZero();
        assertThat(r.output()).contains("NON-RT").contains("p99");
    }

    @Test
    void doctorFailsWithoutPrivileges() throws Exception {
        Result r = runAsNobody("doctor");
        assertThat(r.code()).as(r.output()).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(r.output()).containsPattern("FAIL +SCHED_FIFO").containsPattern("FAIL +mlockall");
    }
}
