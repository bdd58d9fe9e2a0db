package org.vmlat.os;

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

/**
 * Real processes: a child started through {@link ChildProcesses} dies with its parent JVM when
 * that JVM is SIGKILLed, with every worker it forked; its exit status and a graceful SIGTERM pass
 * through the supervisor.
 */
class ChildProcessesTest {
    /** A parent JVM: starts a child that forks two workers, prints the group id, then waits to be killed. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            ChildProcess c = ChildProcesses.start(new ProcessBuilder("sh", "-c", "sleep 300 & sleep 300 & wait"));
            System.out.println(c.groupId());
            System.out.flush();
            Thread.sleep(300_000);
        }
    }

    static Process javaMain(Class<?> main) throws Exception {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), main.getName()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static int waitForMembers(long pgid, int expected, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        int n = ProcessGroups.members(pgid);
        while (n != expected && System.currentTimeMillis() < end) {
            Thread.sleep(50);
            n = ProcessGroups.members(pgid);
        }
        return n;
    }

    @Test
    void theWholeGroupDiesWhenTheParentJvmIsSigkilled() throws Exception {
        assumeTrue(ChildProcesses.diesWithVmlat(), "setpriv --pdeathsig is not available");
        Process parent = javaMain(Parent.class);
        long pgid;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            pgid = Long.parseLong(r.readLine().strip());
            // supervisor, the command's sh and its two sleeps
            assertThat(waitForMembers(pgid, 4, 5000)).as("processes in the child's group").isEqualTo(4);
            parent.destroyForcibly(); // SIGKILL: no Java code of the parent runs any more
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        int left = waitForMembers(pgid, 0, 5000);
        System.out.println("ChildProcessesTest: processes of the child's group left 5 s after SIGKILL of its parent: " + left);
        assertThat(left).isZero();
    }

    @Test
    void aChildOutlivesTheThreadThatAskedForIt() throws Exception {
        assumeTrue(ChildProcesses.diesWithVmlat(), "setpriv --pdeathsig is not available");
        ChildProcess[] started = new ChildProcess[1];
        Thread t = new Thread(() -> {
            try {
                started[0] = ChildProcesses.start(new ProcessBuilder("sleep", "30"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        t.join();
        try (ChildProcess c = started[0]) {
            Thread.sleep(500);
            assertThat(c.isAlive()).as("the parent-death signal follows the forking thread, which must not be the caller's").isTrue();
        }
    }

    @Test
    void exitStatusAndGracefulStopPassThroughTheSupervisor() throws Exception {
        try (ChildProcess c = ChildProcesses.start(new ProcessBuilder("sh", "-c", "exit 7"))) {
            assertThat(c.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.process().exitValue()).isEqualTo(7);
        }
        try (ChildProcess c = ChildProcesses.start(new ProcessBuilder("sh", "-c", "trap 'echo stopped; exit 5' TERM; while :; do sleep 0.05; done"))) {
            Thread.sleep(300);
            // SIGTERM to the supervisor alone (Process.destroy would also close the pipe the command writes to)
            assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(c.process().pid())).start().waitFor()).isZero();
            assertThat(c.process().waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(c.process().exitValue()).isEqualTo(5);
            assertThat(new String(c.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("stopped\n");
        }
    }

    @Test
    void commandPidIsTheCommandItselfAndStopEndsTheGroup() throws Exception {
        ChildProcess c = ChildProcesses.start(new ProcessBuilder("sleep", "30"));
        long pid = c.commandPid();
        assertThat(ProcessGroups.parentOf(pid)).isEqualTo(c.groupId());
        String comm = "";
        for (int i = 0; i < 100 && !comm.equals("sleep"); i++, Thread.sleep(10)) comm = Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
        assertThat(comm).as("the forked supervisor child has exec'ed the command").isEqualTo("sleep");
        assertThat(ProcessGroups.members(c.groupId())).isPositive();
        c.close();
        assertThat(waitForMembers(c.groupId(), 0, 3000)).isZero();
        assertThat(c.command()).isEqualTo(List.of("sleep", "30"));
    }
}
