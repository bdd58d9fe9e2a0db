package org.vmlat.os;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds programs as a shell would, plus the sbin folders a non-root PATH often lacks. */
public final class Executables {
    private Executables() {}

    /** The first executable named {@code tool} on $PATH, /usr/sbin or /sbin. */
    public static Optional<Path> which(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
