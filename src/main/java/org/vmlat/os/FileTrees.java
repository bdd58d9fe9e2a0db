package org.vmlat.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting a directory tree: children before their parents, symbolic links removed, never followed. */
public final class FileTrees {
    private FileTrees() {}

    /** Deletes {@code root} and everything below it; a missing root is not an error. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }

    /** As {@link #delete}, for temporary files whose removal may fail without harm: says whether it worked. */
    public static boolean deleteQuietly(Path root) {
        try {
            delete(root);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
