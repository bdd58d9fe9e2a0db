package org.vmlat.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Moves every thread of this process except the measuring ones (JIT compiler, GC, the status
 * thread...) onto the CPUs that do not measure, like cyclictest's {@code --mainaffinity}: they
 * cannot preempt a SCHED_FIFO probe, but running on its CPU they force a context switch at every
 * wake-up and pollute its caches. {@link #close()} gives them all online CPUs back.
 */
public final class HousekeepingAffinity implements AutoCloseable {
    private final List<Integer> moved;
    private final List<Integer> online;

    private HousekeepingAffinity(List<Integer> moved, List<Integer> online) {
        this.moved = moved;
        this.online = online;
    }

    /** @param housekeeping CPUs for the other threads; when empty nothing is moved */
    public static HousekeepingAffinity apply(Set<Integer> measuringTids, List<Integer> housekeeping, List<Integer> online) {
        List<Integer> moved = new ArrayList<>();
        if (housekeeping.isEmpty()) return new HousekeepingAffinity(moved, online);
        Memory mask = mask(housekeeping);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path p : tasks) {
                int tid = Integer.parseInt(p.getFileName().toString());
                if (measuringTids.contains(tid)) continue;
                try {
                    LibC.sched_setaffinity(tid, mask.size(), mask);
                    moved.add(tid);
                } catch (LastErrorException e) {
                    // the thread may have exited meanwhile
                }
            }
        } catch (IOException | NumberFormatException e) {
            // without /proc the threads stay where they are
        }
        return new HousekeepingAffinity(moved, online);
    }

    public int movedThreads() {
        return moved.size();
    }

    @Override
    public void close() {
        if (moved.isEmpty() || online.isEmpty()) return;
        Memory mask = mask(online);
        for (int tid : moved) {
            try {
                LibC.sched_setaffinity(tid, mask.size(), mask);
            } catch (LastErrorException e) {
                // exited threads need nothing back
            }
        }
    }

    private static Memory mask(List<Integer> cpus) {
        int max = cpus.stream().mapToInt(Integer::intValue).max().orElse(0);
        Memory m = new Memory(8L * (max / 64 + 1));
        m.clear();
        for (int c : cpus) m.setLong(8L * (c / 64), m.getLong(8L * (c / 64)) | (1L << (c % 64)));
        return m;
    }
}
