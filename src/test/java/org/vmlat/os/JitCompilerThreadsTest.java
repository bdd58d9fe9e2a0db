package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitCompilerThreadsTest {
    @TempDir
    Path tasks;

    /** A thread's stat as the kernel writes it, cut after the fields read (the rest is ignored). */
    private void thread(int tid, String comm, char state) throws IOException {
        Path dir = Files.createDirectories(tasks.resolve(Integer.toString(tid)));
        Files.writeString(dir.resolve("stat"), tid + " (" + comm + ") " + state + " 28075 28075 19846 0 -1 4194368 429 0 0 0 1 0\n");
    }

    @Test
    void compilersAllAsleepAreIdle() throws IOException {
        thread(28099, "java", 'S');
        thread(28101, "java", 'R'); // the main thread runs: not a compiler
        thread(28108, "C1 CompilerThre", 'S');
        thread(28110, "C1 CompilerThre", 'S');
        thread(28109, "Sweeper thread", 'R');
        assertThat(JitCompilerThreads.idle(tasks)).contains(true);
    }

    @Test
    void oneCompilerRunnableIsBusy() throws IOException {
        thread(28108, "C1 CompilerThre", 'S');
        thread(28110, "C1 CompilerThre", 'R');
        assertThat(JitCompilerThreads.idle(tasks)).contains(false);
        thread(28111, "C2 CompilerThre", 'D');
        thread(28110, "C1 CompilerThre", 'S');
        assertThat(JitCompilerThreads.idle(tasks)).as("C2 in uninterruptible sleep (a page fault)").contains(false);
    }

    @Test
    void aThreadNamedLikeACompilerWithParenthesesIsReadFromTheLastParenthesis() throws IOException {
        thread(4711, "x) R (C1", 'S'); // an application thread's name: not a compiler
        thread(4712, "C1 CompilerThre", 'S');
        assertThat(JitCompilerThreads.idle(tasks)).contains(true);
        thread(4713, "C1 CompilerThre", 'R');
        assertThat(JitCompilerThreads.idle(tasks)).contains(false);
    }

    @Test
    void noCompilerThreadOrNoFolderSaysNothing() throws IOException {
        thread(1, "java", 'R');
        assertThat(JitCompilerThreads.idle(tasks)).isEmpty();
        assertThat(JitCompilerThreads.idle(tasks.resolve("missing"))).isEmpty();
    }

    /** This JVM (the test's, with its JIT) has compiler threads, and they go to sleep once nothing is queued. */
    @Test
    void thisJvmsCompilersAreSeenAndFallAsleep() throws InterruptedException {
        assertThat(JitCompilerThreads.idle()).as("compiler threads of this JVM").isPresent();
        long end = System.nanoTime() + 30_000_000_000L;
        Optional<Boolean> idle = JitCompilerThreads.idle();
        int polls = 1;
        while (!idle.orElse(false) && System.nanoTime() < end) {
            Thread.sleep(5);
            idle = JitCompilerThreads.idle();
            polls++;
        }
        System.out.println("compiler threads asleep after " + polls + " polls");
        assertThat(idle).contains(true);
    }
}
