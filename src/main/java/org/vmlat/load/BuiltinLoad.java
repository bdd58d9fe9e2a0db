package org.vmlat.load;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vmlat.os.PrivateFolder;

/**
 * vmlat's own loads for machines without stress-ng or hackbench, run as a separate process
 * ({@code vmlat _load KIND N}) so they are stopped like any other load. They run until killed.
 */
public final class BuiltinLoad {
    /** Written by the loops so the JIT cannot prove their work unused and remove it. */
    private static volatile double blackhole;

    private BuiltinLoad() {}

    public static void run(String kind, int workers) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < Math.max(1, workers); i++) {
            Runnable r = switch (kind) {
                case "syscall" -> BuiltinLoad::syscalls;
                case "pipe" -> BuiltinLoad::pipes;
                case "disk" -> BuiltinLoad::disk;
                case "memory" -> BuiltinLoad::memory;
                case "cpu" -> BuiltinLoad::cpu;
                default -> throw new IllegalArgumentException("unknown built-in load \"" + kind + "\" (syscall, pipe, disk, memory, cpu)");
            };
            Thread t = new Thread(r, "vmlat-load-" + kind + "-" + i);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) t.join();
    }

    /** Cheap system calls in a tight loop (stat and sched_yield). */
    private static void syscalls() {
        Path p = Path.of("/proc/self/stat");
        while (true) {
            try {
                Files.getLastModifiedTime(p);
            } catch (IOException e) {
                // keep going: the calls are the load
            }
            Thread.yield();
        }
    }

    /** Two threads passing a byte back and forth through pipes: context switches and wake-ups. */
    private static void pipes() {
        try {
            Pipe a = Pipe.open(), b = Pipe.open();
            Thread echo = new Thread(() -> {
                ByteBuffer buf = ByteBuffer.allocate(1);
                try {
                    while (true) {
                        buf.clear();
                        a.source().read(buf);
                        buf.flip();
                        b.sink().write(buf);
                    }
                } catch (IOException e) {
                    // the load ends with the process
                }
            });
            echo.setDaemon(true);
            echo.start();
            ByteBuffer buf = ByteBuffer.allocate(1);
            while (true) {
                buf.clear().put((byte) 1).flip();
                a.sink().write(buf);
                buf.clear();
                b.source().read(buf);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Write and fsync a temporary file: block I/O and its interrupts. */
    private static void disk() {
        try {
            // in the private folder of the vmlat that started this load: reaped with it if both are killed
            Path f = PrivateFolder.createTempFile("load-", ".dat");
            f.toFile().deleteOnExit();
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw"); FileChannel ch = raf.getChannel()) {
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                while (true) {
                    buf.clear();
                    ch.write(buf, 0);
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Allocate and touch memory: page faults and memory bandwidth. */
    private static void memory() {
        long sink = 0;
        while (true) {
            byte[] b = new byte[64 << 20];
            for (int i = 0; i < b.length; i += 4096) b[i] = (byte) i;
            sink += b[4096];
            blackhole = sink;
        }
    }

    private static void cpu() {
        double x = 1;
        while (true) {
            x = Math.sqrt(x + 1.5) * 1.0000001;
            if (x == 0) blackhole = x;
        }
    }
}
