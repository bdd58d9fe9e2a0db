package org.vmlat.targets.qemu;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** A running QEMU's threads on this machine, by id, with their names ({@code CPU 0/TCG}, {@code qemu-system-x86}, ...). */
final class QemuThreads {
    private QemuThreads() {}

    /** From QEMU's pid file; empty when QEMU or the file is gone. */
    static Map<Integer, String> of(Path pidFile) {
        Map<Integer, String> out = new TreeMap<>();
        try {
            String pid = Files.readString(pidFile).trim();
            try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", pid, "task"))) {
                for (Path t : tasks) {
                    try {
                        out.put(Integer.parseInt(t.getFileName().toString()), Files.readString(t.resolve("comm")).strip());
                    } catch (IOException | NumberFormatException gone) {
                        // a thread that ended meanwhile
                    }
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return out;
    }
}
