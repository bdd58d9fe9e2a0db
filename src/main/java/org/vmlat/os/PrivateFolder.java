package org.vmlat.os;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * This vmlat's private temporary folder, {@code tmp/PID-START/} in the {@link StateFolder}: load
 * logs, cyclictest's JSON, guest folders and the SQLite driver's native library go there rather
 * than loose into /tmp. The folder is removed when vmlat ends normally; after a SIGKILL, the next
 * vmlat removes it ({@link #reapDead}), since its name says whose it was and that owner is dead.
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
    public static Path location() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) return Path.of(given);
        return StateFolder.temporary().resolve(ProcessIdentity.self().toString());
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
            Files.createDirectories(dir.getParent());
            if (!Files.isDirectory(dir)) {
                try {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(dir);
                }
            }
            created = dir;
        }
        return created;
    }

    public static Path createTempFile(String prefix, String suffix) throws IOException {
        return Files.createTempFile(get(), prefix, suffix);
    }

    public static Path createTempDirectory(String prefix) throws IOException {
        return Files.createTempDirectory(get(), prefix);
    }

    /** Removes this vmlat's folder if it owns it; called when vmlat ends. */
    public static synchronized void remove() {
        if (created == null || !owned()) return;
        deleteTree(created);
        created = null;
    }

    /**
     * Removes the folders of vmlat processes that are no longer running.
     *
     * @return the folders removed
     */
    public static List<Path> reapDead(Path root) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(root)) return removed;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                var owner = ProcessIdentity.parse(d.getFileName().toString());
                if (owner.isPresent() && !owner.get().isAlive() && deleteTree(d)) removed.add(d);
            }
        } catch (IOException e) {
            // an unreadable folder leaves nothing to reap
        }
        return removed;
    }

    static boolean deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
