package org.vmlat.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The JVM's JIT compiler threads as the kernel sees them ({@code /proc/self/task/TID/stat}, named
 * "C1 CompilerThre…" or "C2 CompilerThre…"). A compiler thread sleeps only on its empty queue (or
 * for an instant on a lock); while it compiles, or has work and waits for a CPU, its state is R.
 * So "every compiler thread asleep" says now that nothing queued is left, which the JVM's total
 * compilation time (whole milliseconds, still while the compiler is starved of CPU) says only
 * after a long quiet spell.
 */
public final class JitCompilerThreads {
    private static final Path TASKS = Path.of("/proc/self/task");

    private JitCompilerThreads() {}

    /** Whether every compiler thread of this JVM sleeps; empty when none is seen (an interpreter-only JVM, no /proc). */
    public static Optional<Boolean> idle() {
        return idle(TASKS);
    }

    /** As {@link #idle()}, for the task folders under {@code tasks} (one folder per thread holding its {@code stat}). */
    static Optional<Boolean> idle(Path tasks) {
        boolean seen = false;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path t : threads) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException ended) {
                    continue; // a thread that ended between the listing and the read
                }
                // "TID (comm) S ...": comm may hold spaces and parentheses, the state follows the last ')'
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                if (open < 0 || close < open || close + 2 >= stat.length()) continue;
                String comm = stat.substring(open + 1, close);
                if (!isCompiler(comm)) continue;
                seen = true;
                char state = stat.charAt(close + 2);
                if (state != 'S') return Optional.of(false);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return seen ? Optional.of(true) : Optional.empty();
    }

    /** HotSpot names them "C1 CompilerThread0", "C2 CompilerThread1"…, cut to 15 characters by the kernel. */
    private static boolean isCompiler(String comm) {
        return comm.length() > 3 && comm.charAt(0) == 'C' && Character.isDigit(comm.charAt(1))
                && comm.startsWith(" CompilerThre", 2);
    }
}
