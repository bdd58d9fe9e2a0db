package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JitCompilerThreadsTest {
    @TempDir
    Path tasks;

    private JitCompilerThreads closeAfter;

    @AfterEach
    void close() {
        if (closeAfter != null) closeAfter.close();
    }

    /** A thread's stat as the kernel writes it, cut after the fields read (the rest is ignored). */
    private void thread(int tid, String comm, char state) throws IOException {
        Path dir = Files.createDirectories(tasks.resolve(Integer.toString(tid)));
        Files.writeString(dir.resolve("stat"), tid + " (" + comm + ") " + state + " 28075 28075 19846 0 -1 4194368 429 0 0 0 1 0\n");
    }

    /** Whether the compiler threads found now sleep; empty when none is found. */
    private Optional<Boolean> asleep() {
        Optional<JitCompilerThreads> compilers = JitCompilerThreads.of(tasks);
        try {
            return compilers.map(JitCompilerThreads::asleep);
        } finally {
            compilers.ifPresent(JitCompilerThreads::close);
        }
    }

    @Test
    void compilersAllAsleepAreIdle() throws IOException {
        thread(28099, "java", 'S');
        thread(28101, "java", 'R'); // the main thread runs: not a compiler
        thread(28108, "C1 CompilerThre", 'S');
        thread(28110, "C1 CompilerThre", 'S');
        thread(28109, "Sweeper thread", 'R');
        assertThat(asleep()).contains(true);
    }

    @Test
    void oneCompilerRunnableIsBusy() throws IOException {
        thread(28108, "C1 CompilerThre", 'S');
        thread(28110, "C1 CompilerThre", 'R');
        assertThat(asleep()).contains(false);
        thread(28111, "C2 CompilerThre", 'D');
        thread(28110, "C1 CompilerThre", 'S');
        assertThat(asleep()).as("C2 in uninterruptible sleep (a page fault)").contains(false);
    }

    @Test
    void aThreadNamedLikeACompilerWithParenthesesIsReadFromTheLastParenthesis() throws IOException {
        thread(4711, "x) R (C1", 'S'); // an application thread's name: not a compiler
        thread(4712, "C1 CompilerThre", 'S');
        assertThat(asleep()).contains(true);
        thread(4713, "C1 CompilerThre", 'R');
        assertThat(asleep()).contains(false);
    }

    @Test
    void noCompilerThreadOrNoFolderSaysNothing() throws IOException {
        thread(1, "java", 'R');
        assertThat(JitCompilerThreads.of(tasks)).isEmpty();
        assertThat(JitCompilerThreads.of(tasks.resolve("missing"))).isEmpty();
    }

    /** The threads are found once; one that ends is not an idle compiler, one that starts counts in allAsleep. */
    @Test
    void threadsThatEndOrStartLaterAreSeen() throws IOException {
        thread(10, "C1 CompilerThre", 'S');
        thread(11, "C1 CompilerThre", 'S');
        JitCompilerThreads compilers = JitCompilerThreads.of(tasks).orElseThrow();
        closeAfter = compilers;
        assertThat(compilers.asleep()).isTrue();
        // an ended thread's stat reads empty through the handle still open, and its folder is gone
        Files.writeString(tasks.resolve("11/stat"), "");
        Files.delete(tasks.resolve("11/stat"));
        Files.delete(tasks.resolve("11"));
        assertThat(compilers.asleep()).as("a watched thread ended").isFalse();
        assertThat(compilers.asleep()).as("the one left").isTrue();
        thread(12, "C1 CompilerThre", 'R'); // started for a long queue, not watched yet
        assertThat(compilers.asleep()).isTrue();
        assertThat(compilers.allAsleep()).isFalse();
        thread(12, "C1 CompilerThre", 'S');
        assertThat(compilers.asleep()).isTrue();
        assertThat(compilers.allAsleep()).isTrue();
    }

    /** This JVM (the test's, with its JIT) has compiler threads, and they go to sleep once nothing is queued. */
    @Test
    void thisJvmsCompilersAreSeenAndFallAsleep() throws InterruptedException {
        JitCompilerThreads compilers = JitCompilerThreads.ofThisJvm().orElseThrow(() -> new AssertionError("no compiler threads seen"));
        closeAfter = compilers;
        long end = System.nanoTime() + 30_000_000_000L;
        boolean asleep = compilers.allAsleep();
        int polls = 1;
        while (!asleep && System.nanoTime() < end) {
            Thread.sleep(5);
            asleep = compilers.allAsleep();
            polls++;
        }
        System.out.println("compiler threads asleep after " + polls + " polls");
        assertThat(asleep).isTrue();
    }
}
