package org.vmlat.os;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JVM's JIT compiler threads as the kernel sees them ({@code /proc/self/task/TID/stat}, named
 * "C1 CompilerThre…" or "C2 CompilerThre…"). A compiler thread sleeps only on its empty queue (or
 * for an instant on a lock); while it compiles, or has work and waits for a CPU, its state is R.
 * So "every compiler thread asleep" says now that nothing queued is left, which the JVM's total
 * compilation time (whole milliseconds, still while the compiler is starved of CPU) says only
 * after a long quiet spell.
 *
 * <p>The threads are found once; each poll then re-reads their stat files, kept open, into one
 * buffer. Polling through {@code Files.readString} made the compiler busy with the reading code
 * itself (dozens of NIO methods getting hot one after another), so it never looked idle for long.
 */
public final class JitCompilerThreads implements AutoCloseable {
    private static final Path TASKS = Path.of("/proc/self/task");

    private final Path tasks;
    private final byte[] buffer = new byte[1024];
    private List<RandomAccessFile> stats;

    private JitCompilerThreads(Path tasks, List<RandomAccessFile> stats) {
        this.tasks = tasks;
        this.stats = stats;
    }

    /** This JVM's compiler threads; empty when none is seen (an interpreter-only JVM, no /proc). */
    public static Optional<JitCompilerThreads> ofThisJvm() {
        return of(TASKS);
    }

    /** The compiler threads among the task folders under {@code tasks} (one folder per thread, holding its {@code stat}). */
    static Optional<JitCompilerThreads> of(Path tasks) {
        List<RandomAccessFile> stats = open(tasks);
        return stats.isEmpty() ? Optional.empty() : Optional.of(new JitCompilerThreads(tasks, stats));
    }

    /**
     * Whether every compiler thread found sleeps. One that ended since (the JVM stops idle compiler
     * threads and starts more for a long queue) makes this look for them again and answer false.
     */
    public boolean asleep() {
        for (RandomAccessFile stat : stats) {
            int n;
            try {
                stat.seek(0);
                n = stat.read(buffer, 0, buffer.length);
            } catch (IOException ended) {
                n = -1;
            }
            if (n <= 0) {
                reopen();
                return false;
            }
            if (state(buffer, n) != 'S') return false;
        }
        return true;
    }

    /** As {@link #asleep()}, looking for the compiler threads anew first: one started since is counted. */
    public boolean allAsleep() {
        reopen();
        return !stats.isEmpty() && asleep();
    }

    @Override
    public void close() {
        for (RandomAccessFile f : stats) closeQuietly(f);
        stats = List.of();
    }

    private void reopen() {
        close();
        stats = open(tasks);
    }

    private static List<RandomAccessFile> open(Path tasks) {
        List<RandomAccessFile> stats = new ArrayList<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path t : threads) {
                try {
                    RandomAccessFile f = new RandomAccessFile(t.resolve("stat").toFile(), "r");
                    byte[] b = new byte[1024];
                    int n = f.read(b, 0, b.length);
                    if (n > 0 && isCompiler(comm(new String(b, 0, n, StandardCharsets.ISO_8859_1)))) stats.add(f);
                    else closeQuietly(f);
                } catch (IOException ended) {
                    // a thread that ended between the listing and the read
                }
            }
        } catch (IOException e) {
            for (RandomAccessFile f : stats) closeQuietly(f);
            return List.of();
        }
        return stats;
    }

    private static void closeQuietly(RandomAccessFile f) {
        try {
            f.close();
        } catch (IOException ignored) {
            // a read-only /proc file: nothing was left unwritten
        }
    }

    /** "TID (comm) S ...": comm may hold spaces and parentheses, so it ends at the last ')'. */
    private static String comm(String stat) {
        int open = stat.indexOf('('), close = stat.lastIndexOf(')');
        return open < 0 || close < open ? "" : stat.substring(open + 1, close);
    }

    /** The state letter after the last ')' of a stat line held in the first n bytes. */
    private static char state(byte[] stat, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (stat[i] == ')') return i + 2 < n ? (char) stat[i + 2] : '?';
        }
        return '?';
    }

    /** HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1"…, cut to 15 characters by the kernel. */
    private static boolean isCompiler(String comm) {
        return comm.length() > 3 && comm.charAt(0) == 'C' && Character.isDigit(comm.charAt(1))
                && comm.startsWith(" CompilerThre", 2);
    }
}
