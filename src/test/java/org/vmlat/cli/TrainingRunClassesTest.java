package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data archive holds what its training run loads; a class a measurement
 * needs that the training does not reach is read from the jar at every start. The training
 * command is taken from {@code ./vmlat} itself and run beside a one-activation measurement as a
 * user types it; every vmlat class the measurement loads must be among the training's.
 */
class TrainingRunClassesTest {
    /** Loaded only with mlockall, which the training leaves out: at normal priority a small RLIMIT_MEMLOCK may refuse it. */
    private static final Set<String> MLOCKALL_ONLY = Set.of("org.vmlat.os.MemoryLock");

    @TempDir
    Path dir;

    @Test
    void theTrainingRunLoadsEveryClassOfAMeasurementsStart() throws Exception {
        List<String> training = trainingCommand(Files.readString(Path.of("vmlat")));
        assertThat(training).as("training command in ./vmlat").startsWith("measure");

        Set<String> trained = vmlatClassesLoadedBy(training, "training");
        // as bench/startup.sh and a user measure; normal priority where real-time is refused
        Set<String> measured = vmlatClassesLoadedBy(List.of("measure", "-i", "1ms", "-l", "1", "--warmup", "0", "--allow-nonrt", "-q"), "measure");

        Set<String> missing = new TreeSet<>(measured);
        missing.removeAll(trained);
        missing.removeAll(MLOCKALL_ONLY);
        missing.removeIf(c -> c.contains("$$Lambda$")); // lambda classes are named per run
        System.out.printf("training loads %d vmlat classes, measure -l 1 %d; not trained: %s%n", trained.size(), measured.size(), missing);
        assertThat(measured).as("classes of the probe's start").contains("org.vmlat.probe.builtin.BuiltinProbe",
                "org.vmlat.probe.builtin.LatencyLoop", "org.vmlat.os.LibC", "org.vmlat.os.JitCompilerThreads");
        assertThat(missing).as("classes measure loads that the training run does not").isEmpty();
    }

    /** The words of the launcher's {@code train=(...)} line. */
    static List<String> trainingCommand(String launcher) {
        for (String line : launcher.lines().toList()) {
            String l = line.strip();
            if (l.startsWith("train=(") && l.endsWith(")")) {
                return Arrays.asList(l.substring("train=(".length(), l.length() - 1).strip().split("\\s+"));
            }
        }
        throw new AssertionError("./vmlat has no train=(...) line");
    }

    @Test
    void theTrainingCommandIsReadFromItsLine() {
        String launcher = "cds=x\n# a comment: train=(not this)\ntrain=(measure --policy other -i 1ms)\nif true; then\n";
        assertThat(trainingCommand(launcher)).containsExactly("measure", "--policy", "other", "-i", "1ms");
    }

    private Set<String> vmlatClassesLoadedBy(List<String> args, String name) throws IOException, InterruptedException {
        Path log = dir.resolve(name + ".classes");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djna.nosys=true", "-Xshare:off",
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), "org.vmlat.cli.Vmlat"));
        cmd.addAll(args);
        cmd.addAll(List.of("--json", dir.resolve(name + ".json").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("VMLAT_STATE_DIR", dir.resolve(name + "-state").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(name + ": " + out).isZero();
        Set<String> classes = new TreeSet<>();
        for (String line : Files.readAllLines(log)) {
            // "[info][class,load] org.vmlat.os.LibC source: file:/..."
            int at = line.indexOf("] org.vmlat.");
            if (at >= 0) classes.add(line.substring(at + 2).split(" ")[0]);
        }
        return classes;
    }
}
