package org.vmlat.targets.emulated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.image.Commands;

/**
 * Debian packages an emulated machine is built from, fetched with {@code apt-get download} and
 * unpacked with {@code dpkg -x} into one root directory: nothing is installed on this machine.
 */
public final class DebianPackages {
    private DebianPackages() {}

    /**
     * Downloads {@code packages} into {@code debs} and unpacks them all into {@code root}. A failed
     * download is retried once after {@code apt-get update}: superseded versions leave the archive.
     */
    public static void unpack(List<String> packages, Path debs, Path root) throws IOException {
        Files.createDirectories(debs);
        List<String> cmd = new ArrayList<>(List.of("apt-get", "download"));
        cmd.addAll(packages);
        try {
            Commands.run(cmd, debs, 900);
        } catch (ProbeException e) {
            Commands.run(List.of("apt-get", "update", "-qq"), null, 600);
            Commands.run(cmd, debs, 900);
        }
        try (Stream<Path> s = Files.list(debs)) {
            for (Path deb : (Iterable<Path>) s.sorted()::iterator) Commands.run(List.of("dpkg", "-x", deb.toString(), root.toString()), null, 300);
        }
    }

    /** The one file in {@code dir} named {@code prefix*suffix}. */
    public static Path only(Path dir, String prefix, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix)).findFirst()
                    .orElseThrow(() -> new ProbeException("no " + prefix + "*" + suffix + " in " + dir));
        }
    }
}
