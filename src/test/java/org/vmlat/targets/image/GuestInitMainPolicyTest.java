package org.vmlat.targets.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /init's {@code measure} starts cyclictest under {@code chrt -f 1} when the probe's threads are real-time, so that its
 * main thread (start-up, the end of -D, the histogram) is not starved by a guest load at SCHED_OTHER; a probe at
 * SCHED_OTHER keeps its caller's policy. Run by the busybox of the image, with the host's chrt (the one the image
 * carries) and a cyclictest played by a script that writes down the policy it was started with.
 */
class GuestInitMainPolicyTest {
    static String policyOfCyclictestStartedWith(Path dir, String args) throws Exception {
        return run(dir, args, "").get("cyclictest");
    }

    /** What each of cyclictest, hackbench and killall (played by scripts) was started with: "ARGS; POLICY". */
    static java.util.Map<String, String> run(Path dir, String args, String load) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : java.util.List.of("cyclictest", "hackbench", "killall")) {
            Path fake = bin.resolve(tool);
            // each writes down its arguments and its policy; the probe exits 3 after 0.2 s, the load 1 s (ended by nobody: killall is played too)
            Files.writeString(fake, "#!/bin/sh\necho \"$*; $(chrt -p $$ | tr '\\n' ' ')\" > " + dir.resolve(tool + ".seen") + "\n"
                    + (tool.equals("cyclictest") ? "sleep 0.2; exit 3\n" : tool.equals("hackbench") ? "sleep 5\n" : ""));
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path busybox = new GuestImageBuilder(GuestImageBuilder.defaultCacheDir()).busybox();
        // the function as the image has it, its scratch files moved from the guest's /tmp into this test's folder
        String measure = GuestInitTraceStateTest.function("measure").replace("/tmp/", dir + "/");
        String script = "export PATH=" + bin + ":/usr/bin:/bin\nLOAD=" + load + "\nARGS='" + args + "'\n" + measure + "measure ''\necho \"RC=$RC\"\n";
        Process p = new ProcessBuilder(busybox.toString(), "sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("VMLAT-START").contains("RC=3");
        java.util.Map<String, String> seen = new java.util.TreeMap<>();
        for (String tool : java.util.List.of("cyclictest", "hackbench", "killall")) {
            Path f = dir.resolve(tool + ".seen");
            if (Files.exists(f)) seen.put(tool, Files.readString(f).strip());
        }
        return seen;
    }

    @Test
    void theLoadIsEndedRightAfterTheProbeAtThePrioritysOwnPolicy(@TempDir Path dir) throws Exception {
        java.util.Map<String, String> fifo = run(dir.resolve("fifo"), "-m --policy=fifo -p95 -i1000 -t1 -D2 -h1000 -q", "hackbench");
        java.util.Map<String, String> none = run(dir.resolve("none"), "-m --policy=fifo -p95 -i1000 -t1 -D2 -h1000 -q", "");
        System.out.printf("GuestInitMainPolicyTest: with hackbench %s; without %s%n", fifo, none);
        // the load at the shell's own policy, ended by SIGKILL from the probe's process at FIFO 1
        assertThat(fifo.get("hackbench")).contains("SCHED_OTHER");
        assertThat(fifo.get("killall")).startsWith("-KILL hackbench;").contains("SCHED_FIFO").containsPattern("priority: 1\\b");
        assertThat(none).containsOnlyKeys("cyclictest");
    }

    @Test
    void aRealTimeProbesMainThreadRunsAtFifo1(@TempDir Path dir) throws Exception {
        String fifo = policyOfCyclictestStartedWith(dir.resolve("fifo"), "-m --policy=fifo -p95 -i1000 -t1 -D2 -h1000 -q");
        String rr = policyOfCyclictestStartedWith(dir.resolve("rr"), "-m --policy=rr -p80 -i1000 -t1 -D2 -h1000 -q");
        String other = policyOfCyclictestStartedWith(dir.resolve("other"), "-m --policy=other -i1000 -t1 -D2 -h1000 -q");
        System.out.printf("GuestInitMainPolicyTest: fifo probe's main: %s; rr: %s; other: %s%n", fifo.strip().replace("\n", "; "), rr.strip().replace("\n", "; "), other.strip().replace("\n", "; "));
        assertThat(fifo).contains("SCHED_FIFO").containsPattern("priority: 1\\b");
        assertThat(rr).contains("SCHED_FIFO").containsPattern("priority: 1\\b");
        assertThat(other).contains("SCHED_OTHER").containsPattern("priority: 0\\b");
    }
}
