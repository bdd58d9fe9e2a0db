package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.os.ProcessIdentity;

/**
 * SIGKILL of the vmlat JVM at several points, with real stress-ng, hackbench, cyclictest and
 * built-in loads: 5 s later no process of that vmlat is left, without any further vmlat command;
 * its temporary files are all in its private folder, which the next vmlat start removes.
 */
class SigkillLeavesNothingTest {
    static final String PLAN = """
            name = "kill"
            duration = "%s"
            [probe]
            affinity = "1"
            [matrix]
            probe = ["%s"]
            interval = ["1ms"]
            load = ["l"]
            [[load]]
            name = "l"
            preset = "%s"
            instances = 1
            """;

    /** Every process below {@code root} (children, their children, ...), each named with its start time. */
    static Set<ProcessIdentity> tree(long root) throws IOException {
        Map<Long, Long> parent = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                String[] f = stat(Long.parseLong(p.getFileName().toString()));
                if (f != null) parent.put(Long.parseLong(p.getFileName().toString()), Long.parseLong(f[1]));
            }
        }
        Set<ProcessIdentity> out = new LinkedHashSet<>();
        for (long pid : parent.keySet()) {
            for (long a = parent.getOrDefault(pid, 0L); a > 1; a = parent.getOrDefault(a, 0L)) {
                if (a == root) {
                    ProcessIdentity.of(pid).ifPresent(out::add);
                    break;
                }
            }
        }
        return out;
    }

    /** Fields of /proc/PID/stat from field 3 (state) on, or null. */
    static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static String comm(ProcessIdentity p) {
        try {
            return Files.readString(Path.of("/proc/" + p.pid() + "/comm")).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Those still running (zombies waiting for init to reap them are not running). */
    static List<ProcessIdentity> running(Set<ProcessIdentity> ps) {
        List<ProcessIdentity> out = new ArrayList<>();
        for (ProcessIdentity p : ps) {
            String[] f = stat(p.pid());
            if (p.isAlive() && f != null && !f[0].equals("Z")) out.add(p);
        }
        return out;
    }

    /** Waits until the tree below vmlat holds a process named {@code comm} (and at least {@code min} processes). */
    static Set<ProcessIdentity> waitForTree(Process vmlat, String comm, int min, long timeoutMs) throws Exception {
        long end = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < end && vmlat.isAlive()) {
            Set<ProcessIdentity> t = tree(vmlat.pid());
            if (t.size() >= min && t.stream().anyMatch(p -> comm(p).equals(comm))) return t;
            Thread.sleep(100);
        }
        throw new AssertionError("no " + comm + " below vmlat within " + timeoutMs + " ms");
    }

    static List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Predicate.not(dir::equals)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    /**
     * Starts vmlat, waits for {@code comm} below it, SIGKILLs it, and checks: no process of it 5 s
     * later, its private folder reaped by the next start, nothing in the temporary folder.
     */
    void killAndCount(Path dir, String point, String comm, int min, String... args) throws Exception {
        killAndCount(dir, point, comm, min, () -> true, args);
    }

    /** As above, killing only once {@code ready} holds (checked for up to 5 minutes after {@code comm} is there). */
    void killAndCount(Path dir, String point, String comm, int min, java.util.concurrent.Callable<Boolean> ready, String... args) throws Exception {
        Process p = LabFaultsTest.vmlat(dir, args);
        Set<ProcessIdentity> before = waitForTree(p, comm, min, 60_000);
        long readyBy = System.currentTimeMillis() + 300_000;
        while (!ready.call() && p.isAlive()) {
            assertThat(System.currentTimeMillis()).as(point + ": not ready within 5 minutes").isLessThan(readyBy);
            Thread.sleep(200);
        }
        assertThat(p.isAlive()).as(point + ": vmlat ended before the kill").isTrue();
        Thread.sleep(1500); // let the load fork its workers and open its files
        before.addAll(tree(p.pid()));
        ProcessIdentity killed = ProcessIdentity.of(p.pid()).orElseThrow();
        Path privateFolder = dir.resolve("state").resolve("tmp").resolve(killed.toString());
        List<String> tempFiles = files(privateFolder);

        p.destroyForcibly(); // SIGKILL: no Java code of vmlat runs any more
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(5000);
        List<ProcessIdentity> left = running(before);
        List<String> leftNames = left.stream().map(x -> x.pid() + ":" + comm(x)).toList();
        List<String> leftInPrivate = files(privateFolder);

        Process next = LabFaultsTest.vmlat(dir, "runs", "list", "--store", dir.resolve("next.db").toString());
        assertThat(next.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> afterNextStart = files(dir.resolve("state").resolve("tmp"));
        List<String> inTmp = files(dir.resolve("tmp"));

        System.out.printf("SigkillLeavesNothingTest: %-44s processes before kill %3d, left 5 s after %d %s; "
                        + "temp files at kill %d %s, after kill %d, after next start %d (state/tmp) + %d (java.io.tmpdir)%n",
                point, before.size(), left.size(), leftNames, tempFiles.size(), tempFiles.stream().map(f -> f.replaceAll("[0-9a-f-]{8,}", "*")).toList(), leftInPrivate.size(), afterNextStart.size(), inTmp.size());
        assertThat(leftNames).as("processes of the killed vmlat still running 5 s after SIGKILL").isEmpty();
        assertThat(afterNextStart).as("private folders left after the next start").isEmpty();
        assertThat(inTmp).as("files outside the private folder").isEmpty();
    }

    @Test
    void duringAStressNgLoadWithTheBuiltinProbe(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml");
        Files.writeString(plan, PLAN.formatted("20s", "builtin", "syscall"));
        killAndCount(dir, "lab run, stress-ng load, builtin probe", "stress-ng", 3, "lab", "run", plan.toString(),
                "--store", dir.resolve("r.db").toString(), "-q");
    }

    @Test
    void duringCyclictestWithAHackbenchLoad(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml");
        Files.writeString(plan, PLAN.formatted("20s", "cyclictest", "scheduler"));
        killAndCount(dir, "lab run, hackbench load, during cyclictest", "cyclictest", 5, "lab", "run", plan.toString(),
                "--store", dir.resolve("r.db").toString(), "-q");
    }

    @Test
    void duringAnIoLoadThatWritesFiles(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml");
        Files.writeString(plan, PLAN.formatted("20s", "cyclictest", "io"));
        killAndCount(dir, "lab run, stress-ng io load writing files", "stress-ng", 2, "lab", "run", plan.toString(),
                "--store", dir.resolve("r.db").toString(), "-q");
    }

    @Test
    void duringABuiltinDiskLoadInAChildJvm(@TempDir Path dir) throws Exception {
        Path plan = dir.resolve("plan.toml");
        Files.writeString(plan, PLAN.formatted("20s", "builtin", "builtin-disk"));
        killAndCount(dir, "lab run, built-in disk load (child JVM)", "java", 2, "lab", "run", plan.toString(),
                "--store", dir.resolve("r.db").toString(), "-q");
    }

    @Test
    void duringMeasureWithCyclictest(@TempDir Path dir) throws Exception {
        killAndCount(dir, "measure --probe cyclictest", "cyclictest", 2, "measure", "--probe", "cyclictest", "-a", "1", "-D", "30", "-q");
    }

    /** A QEMU guest kept running between two scenarios (the first one done, the second one on the same boot). */
    @Test
    void withAGuestKeptBetweenScenarios(@TempDir Path dir) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/qemu-system-x86_64")), "qemu-system-x86 not installed");
        Path plan = dir.resolve("plan.toml");
        Files.writeString(plan, """
                name = "kill-kept-guest"
                duration = "2s"
                [matrix]
                target = ["g"]
                probe = ["cyclictest"]
                interval = ["1ms", "2ms", "4ms"]
                [[target]]
                name = "g"
                kind = "qemu"
                kernel = "rt"
                boot_timeout = "240s"
                """);
        killAndCount(dir, "lab run, QEMU guest kept between scenarios", "qemu-system-x86", 1, () -> {
            try (Stream<Path> outs = Files.list(dir)) {
                for (Path o : outs.filter(f -> f.getFileName().toString().startsWith("out-")).toList()) if (Files.readString(o).contains("[2/3]")) return true;
            }
            return false;
        }, "lab", "run", plan.toString(), "--store", dir.resolve("r.db").toString(), "-q");
    }
}
