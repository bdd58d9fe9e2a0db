package org.vmlat.os;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Advisory claims on CPUs between vmlat processes, so that two of them never measure on the same
 * CPU without knowing: one lock file per CPU ({@code cpus/cpuN.lock} in the state folder ({@link VmlatDirs#state})),
 * locked with fcntl while the measurement runs. The kernel drops the lock when its holder dies,
 * even by SIGKILL, so a dead vmlat never blocks a CPU. The file names the holder (PID-START and
 * what it is doing) for the message of the one that finds the CPU taken.
 *
 * <p>CPUs are claimed in ascending order and all are released when any is taken, so two vmlat
 * processes waiting for each other's CPUs cannot deadlock.
 */
public final class CpuClaims {
    /** A CPU held by another vmlat: which, and who holds it as its file says. */
    public record Busy(int cpu, String holder) {
        public String message() {
            return "CPU " + cpu + " is being measured by another vmlat" + (holder.isBlank() ? "" : " (" + holder + ")");
        }
    }

    /** How often a waiting vmlat tries again. */
    static final long WAIT_POLL_MS = 500;

    private final Path dir;

    public CpuClaims(Path dir) {
        this.dir = dir;
    }

    /** Claims in the state folder. */
    public static CpuClaims inStateFolder() {
        return new CpuClaims(VmlatDirs.state("cpus"));
    }

    /** Held CPUs; {@link #close()} releases them. */
    public static final class Claim implements AutoCloseable {
        private final List<FileChannel> channels;
        private final SortedSet<Integer> cpus;

        private Claim(List<FileChannel> channels, SortedSet<Integer> cpus) {
            this.channels = channels;
            this.cpus = cpus;
        }

        public SortedSet<Integer> cpus() {
            return cpus;
        }

        @Override
        public void close() {
            for (FileChannel c : channels) {
                try {
                    c.close(); // closing the channel releases its lock
                } catch (IOException e) {
                    // the lock goes with the process at the latest
                }
            }
        }
    }

    /** The outcome of one attempt: the claim, or the CPU that is taken. */
    public record Attempt(Optional<Claim> claim, Optional<Busy> busy) {}

    /**
     * Claims every CPU of {@code cpus}, or none.
     *
     * @param purpose what the claim is for, shown to the vmlat that finds the CPU taken
     */
    public Attempt tryClaim(Iterable<Integer> cpus, String purpose) throws IOException {
        Files.createDirectories(dir);
        SortedSet<Integer> sorted = new TreeSet<>();
        cpus.forEach(sorted::add);
        List<FileChannel> held = new ArrayList<>();
        String holder = "vmlat pid " + ProcessIdentity.self().pid() + ", " + purpose;
        for (int cpu : sorted) {
            FileChannel ch = FileChannel.open(dir.resolve("cpu" + cpu + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // this very vmlat holds it already (reading the file here would drop that lock)
                ch.close();
                new Claim(held, sorted).close();
                return new Attempt(Optional.empty(), Optional.of(new Busy(cpu, "this vmlat, pid " + ProcessIdentity.self().pid())));
            }
            if (lock == null) {
                String other = read(ch);
                ch.close();
                new Claim(held, sorted).close();
                return new Attempt(Optional.empty(), Optional.of(new Busy(cpu, other)));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            held.add(ch);
        }
        return new Attempt(Optional.of(new Claim(held, sorted)), Optional.empty());
    }

    /**
     * Waits until every CPU of {@code cpus} is free and claims them; {@code onBusy} hears of each
     * new holder met while waiting.
     *
     * @return the claim, or empty when {@code stop} turned true first
     */
    public Optional<Claim> claim(Iterable<Integer> cpus, String purpose, BooleanSupplier stop, Consumer<Busy> onBusy)
            throws IOException, InterruptedException {
        Busy last = null;
        while (!stop.getAsBoolean()) {
            Attempt a = tryClaim(cpus, purpose);
            if (a.claim().isPresent()) return a.claim();
            Busy b = a.busy().orElseThrow();
            if (!b.equals(last)) onBusy.accept(b);
            last = b;
            Thread.sleep(WAIT_POLL_MS);
        }
        return Optional.empty();
    }

    private static String read(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(512);
        int n = ch.read(b, 0);
        return n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
    }
}
