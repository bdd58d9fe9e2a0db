package org.vmlat.os.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vmlat.os.ChildProcesses;

/**
 * Real child processes. "Nothing left" is checked in /proc by a sleep duration no other process
 * uses, so a test sees only its own children whatever else runs on the machine.
 */
@Timeout(60) // a runner that does not kill would otherwise hang the build for an hour
class LocalCommandRunnerTest {
    private static final long SECOND_NS = 1_000_000_000L;

    /** Processes whose command line contains {@code marker}. */
    static List<Long> processesWith(String marker) throws IOException {
        List<Long> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    String stat = Files.readString(p.resolve("stat"));
                    boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                    if (cmd.contains(marker) && !zombie) found.add(Long.parseLong(p.getFileName().toString()));
                } catch (IOException e) {
                    // ended while we looked
                }
            }
        }
        return found;
    }

    static String marker() {
        return "3600." + (System.nanoTime() % 900_000 + 100_000);
    }

    @Test
    void collectsStdoutStderrAndTheExitCode() {
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            CommandResult r = runner.run(List.of("sh", "-c", "echo one; echo two; echo oops >&2; exit 3"), 10 * SECOND_NS);
            assertThat(r.timedOut()).isFalse();
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.ok()).isFalse();
            assertThat(r.stdout()).isEqualTo("one\ntwo\n");
            assertThat(r.stderr()).isEqualTo("oops\n");
            assertThat(r.argv()).containsExactly("sh", "-c", "echo one; echo two; echo oops >&2; exit 3");
        }
    }

    @Test
    void argumentsAreNotSplitOrInterpretedByAShell() {
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            CommandResult r = runner.run(List.of("printf", "%s|", "a b", "$HOME", "'q'"), 10 * SECOND_NS);
            assertThat(r.ok()).isTrue();
            assertThat(r.stdout()).isEqualTo("a b|$HOME|'q'|\n");
        }
    }

    @Test
    void aMissingProgramEndsWith127LikeInAShell() {
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            CommandResult r = runner.run(List.of("vmlat-no-such-program"), 10 * SECOND_NS);
            assertThat(r.exitCode()).isEqualTo(127);
            assertThat(r.stderr()).contains("vmlat-no-such-program");
        }
    }

    @Test
    void aCommandPastItsTimeoutIsKilledWithEverythingItStarted() throws Exception {
        String m = marker();
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            long t0 = System.nanoTime();
            // a background child in the same group, and the shell waiting on another
            CommandResult r = runner.run(List.of("sh", "-c", "sleep " + m + " & sleep " + m + "; echo never"), SECOND_NS / 2);
            long tookNs = System.nanoTime() - t0;
            assertThat(r.timedOut()).isTrue();
            assertThat(r.exitCode()).isEqualTo(-1);
            assertThat(r.stdout()).isEmpty();
            assertThat(tookNs).as("returned after the timeout and the SIGTERM").isLessThan(5 * SECOND_NS);
        }
        assertThat(processesWith(m)).as("processes left").isEmpty();
    }

    @Test
    void closingARunningCommandKillsItsWholeProcessGroup() throws Exception {
        String m = marker();
        CountDownLatch started = new CountDownLatch(1);
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            RunningCommand c = runner.start(List.of("sh", "-c", "sleep " + m + " & echo up; trap '' TERM; sleep " + m),
                    (channel, line) -> started.countDown());
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the first line arrives while the command runs").isTrue();
            // the supervisor that ends the group when vmlat dies carries the command line too
            int expected = 3 + (ChildProcesses.diesWithVmlat() ? 1 : 0);
            long until = System.nanoTime() + 10 * SECOND_NS;
            while (processesWith(m).size() < expected && System.nanoTime() < until) Thread.sleep(20);
            assertThat(processesWith(m)).as("the supervisor, the shell and its two sleeps").hasSize(expected);
            assertThat(c.waitFor(0)).isFalse();
            c.close(); // the shell ignores SIGTERM: killed after the grace period
            assertThat(c.waitFor(SECOND_NS)).isTrue();
            assertThat(processesWith(m)).as("processes left").isEmpty();
        }
    }

    @Test
    void closingTheRunnerEndsWhatIsStillRunning() throws Exception {
        String m = marker();
        LocalCommandRunner runner = new LocalCommandRunner();
        RunningCommand a = runner.start(List.of("sleep", m), CommandOutput.DISCARD);
        RunningCommand b = runner.start(List.of("sleep", m), CommandOutput.DISCARD);
        runner.close();
        assertThat(a.waitFor(SECOND_NS)).isTrue();
        assertThat(b.waitFor(SECOND_NS)).isTrue();
        assertThat(a.exitCode()).isEqualTo(128 + 15); // SIGTERM
        assertThat(processesWith(m)).isEmpty();
    }

    @Test
    void terminateLetsACommandReportBeforeItEnds() throws Exception {
        List<String> lines = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            RunningCommand c = runner.start(List.of("sh", "-c", "trap 'echo stopped; exit 0' TERM; echo ready; while :; do sleep 0.05; done"),
                    (channel, line) -> {
                        synchronized (lines) {
                            lines.add(channel + " " + line);
                        }
                        ready.countDown();
                    });
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            c.terminate();
            assertThat(c.waitFor(5 * SECOND_NS)).isTrue();
            assertThat(c.exitCode()).isZero();
            synchronized (lines) {
                // the whole group got SIGTERM: the shell may also say its sleep was "Terminated" on stderr; and the signal
                // can reach the shell twice (to the group, and forwarded by the supervisor), its trap then says it twice
                List<String> out = lines.stream().filter(l -> l.startsWith("STDOUT")).toList();
                assertThat(out).first().isEqualTo("STDOUT ready");
                assertThat(out.subList(1, out.size())).isNotEmpty().hasSizeLessThanOrEqualTo(2).containsOnly("STDOUT stopped");
            }
        }
    }

    @Test
    void theExitCodeIsUnknownUntilTheCommandEnded() throws Exception {
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            RunningCommand c = runner.start(List.of("sleep", marker()), CommandOutput.DISCARD);
            assertThatThrownBy(c::exitCode).isInstanceOf(IllegalStateException.class).hasMessageContaining("has not ended");
            c.close();
        }
    }

    @Test
    void filesAreMadeReadAndRemovedWhereTheCommandRuns() {
        try (LocalCommandRunner runner = new LocalCommandRunner()) {
            String f = runner.createTempFile("vmlat-test-", ".json");
            assertThat(runner.readFile(f)).isEmpty();
            assertThat(runner.run(List.of("sh", "-c", "printf '{\"a\": 1}' > " + f), 10 * SECOND_NS).ok()).isTrue();
            assertThat(new String(runner.readFile(f), StandardCharsets.UTF_8)).isEqualTo("{\"a\": 1}");
            runner.deleteFile(f);
            runner.deleteFile(f); // already gone: not an error
            assertThatThrownBy(() -> runner.readFile(f)).isInstanceOf(CommandException.class).hasMessageContaining(f);
        }
    }
}
