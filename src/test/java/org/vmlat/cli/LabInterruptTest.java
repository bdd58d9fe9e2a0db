package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.LibC;

/** Ctrl-C on a real lab run: the process ends with the line that finishes the run. */
class LabInterruptTest {

    @Test
    void anInterruptedRunPrintsItsResumeLine(@TempDir Path dir) throws Exception {
        Path plan = Files.writeString(dir.resolve("p.toml"), "name = \"i\"\nduration = \"3s\"\nrepetitions = 5\n[matrix]\ninterval = [\"1ms\"]\n");
        Path db = dir.resolve("r.db"), output = dir.resolve("out.txt");
        // Ctrl-C as in a terminal: a suite started in the background of a non-interactive shell has SIGINT ignored, which
        // every child inherits and the JVM then honours (a background job is not for Ctrl-C); env gives it back its default
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=INT", "./vmlat", "lab", "run", plan.toString(), "--store", db.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("VMLAT_STATE_DIR", dir.resolve("state").toString());
        Process p = pb.start();
        try {
            long end = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < end && p.isAlive() && !Files.readString(output).contains("[1/5]")) Thread.sleep(200);
            assertThat(Files.readString(output)).as("the run started").contains("[1/5]");
            Thread.sleep(1500);
            LibC.kill((int) p.pid(), 2); // SIGINT, as Ctrl-C
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
        String out = Files.readString(output);
        assertThat(out).containsPattern("Interrupted: run 1 stopped after 1 scenario\\(s\\) \\(0 done, 0 failed\\); "
                + "vmlat lab run --resume 1 --store " + java.util.regex.Pattern.quote(db.toString()) + " runs the rest");
        System.out.println("exit " + p.exitValue() + ", resume line printed: " + out.lines().filter(l -> l.contains("--resume 1")).count());
    }
}
