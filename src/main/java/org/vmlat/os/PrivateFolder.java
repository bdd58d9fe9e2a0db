package org.vmlat.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * This vmlat's private temporary folder, {@code tmp/PID-START/} in the state folder ({@link VmlatDirs#state}): load
 * logs, cyclictest's JSON, guest folders and the SQLite driver's native library go there rather
 * than loose into /tmp. The folder is removed when vmlat ends normally; after a SIGKILL, the next
 * vmlat removes it ({@link #reapDead}), since its name says whose it was and that owner is dead.
 *
 * <p>Where the state folder cannot be written (a user whose home does not exist), the folder is
 * {@code vmlat-PID-START} in the system's temporary folder instead, reaped the same way.
 *
 * <p>A child vmlat (a built-in load) is given its parent's folder through the system property
 * {@value #PROPERTY}; it uses that folder and never removes it.
 */
public final class PrivateFolder {
    /** System property naming the folder to use instead of one's own. */
    public static final String PROPERTY = "vmlat.tmpdir";

    private static Path created;

    private PrivateFolder() {}

    /** Where this vmlat's folder is (created or not). */
    public static synchronized Path location() {
        if (created != null) return created;
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) return Path.of(given);
        return VmlatDirs.state("tmp").resolve(ProcessIdentity.self().toString());
    }

    /** Where the folder goes when the state folder cannot be written (a user without a home): the system's temporary folder. */
    public static Path fallbackRoot() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Whether this vmlat owns its folder (and removes it at the end). */
    public static boolean owned() {
        String given = System.getProperty(PROPERTY);
        return given == null || given.isBlank();
    }

    /** The folder, created (mode 700) on first use. */
    public static synchronized Path get() throws IOException {
        if (created == null) {
            Path dir = location();
            try {
                create(dir);
            } catch (IOException e) {
                if (!owned()) throw e;
                dir = fallbackRoot().resolve(FALLBACK_PREFIX + ProcessIdentity.self());
                create(dir);
            }
            created = dir;
        }
        return created;
    }

    /** Names of folders in {@link #fallbackRoot()} start with this. */
    public static final String FALLBACK_PREFIX = "vmlat-";

    private static void create(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        if (Files.isDirectory(dir)) return;
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectories(dir);
        }
    }

    public static Path createTempFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(get(), prefix, suffix);
    }

    public static Path createTempDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(get(), prefix);
    }

    /**
     * A new folder named {@code prefix + N}, N counting from 1: short names for folders that hold
     * unix sockets, whose whole path must stay under 108 bytes (QEMU's QMP socket).
     */
    public static synchronized Path createNumberedDirectory(String prefix) throws IOException {
        Path root = get();
        while (true) {
            Path dir = root.resolve(prefix + (++numbered));
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException taken) {
                // left by a load sharing this folder: take the next number
            }
        }
    }

    private static int numbered;

    private static int users;

    /** A piece of work that needs the folder until it is closed (see {@link #use}). */
    public interface Use extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Says that the folder is needed until the returned handle is closed: a measurement whose
     * loads and probe write into it. {@link #removeWhenUnused} waits for it, so a vmlat stopped
     * by SIGTERM removes the folder once the measurement has stopped, not under its feet.
     */
    public static synchronized Use use() {
        users++;
        return new Use() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (PrivateFolder.class) {
                    if (closed) return;
                    closed = true;
                    users--;
                    PrivateFolder.class.notifyAll();
                }
            }
        };
    }

    /**
     * Removes the folder once no work uses it, waiting at most {@code timeoutMs}: what a shutdown
     * (SIGTERM, Ctrl-C) does, while the commands' own shutdown handling stops their work.
     *
     * @return whether the folder was free (false: removed although still in use after the wait)
     */
    public static synchronized boolean removeWhenUnused(long timeoutMs) {
        long end = System.currentTimeMillis() + timeoutMs;
        try {
            for (long left = timeoutMs; users > 0 && left > 0; left = end - System.currentTimeMillis()) PrivateFolder.class.wait(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean free = users == 0;
        remove();
        return free;
    }

    /** Removes this vmlat's folder if it owns it; called when vmlat ends. */
    public static synchronized void remove() {
        if (created == null || !owned()) return;
        FileTrees.deleteQuietly(created);
        created = null;
    }

    /**
     * Removes the folders of vmlat processes that are no longer running.
     *
     * @return the folders removed
     */
    public static List<Path> reapDead(Path root) {
        return reapDead(root, "");
    }

    /** As {@link #reapDead(Path)}, for folders named {@code prefix + PID-START}. */
    public static List<Path> reapDead(Path root, String prefix) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) return removed;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, prefix + "[0-9]*-[0-9]*")) {
            for (Path d : dirs) {
                if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) continue;
                var owner = ProcessIdentity.parse(d.getFileName().toString().substring(prefix.length()));
                if (owner.isPresent() && !owner.get().isAlive() && FileTrees.deleteQuietly(d)) removed.add(d);
            }
        } catch (IOException e) {
            // an unreadable folder leaves nothing to reap
        }
        return removed;
    }

    /** The other vmlat processes running now, from their folders ({@code PID-START}) under root. */
    public static List<ProcessIdentity> liveOthers(Path root) {
        List<ProcessIdentity> live = new ArrayList<>();
        if (!Files.isDirectory(root)) return live;
        ProcessIdentity self = ProcessIdentity.self();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root, "[0-9]*-[0-9]*")) {
            for (Path d : dirs) {
                ProcessIdentity.parse(d.getFileName().toString()).filter(p -> p.isAlive() && !p.equals(self)).ifPresent(live::add);
            }
        } catch (IOException e) {
            // an unreadable folder shows no other vmlat
        }
        return live;
    }
}
