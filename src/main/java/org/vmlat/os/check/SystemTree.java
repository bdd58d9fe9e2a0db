package org.vmlat.os.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.CpuList;

/**
 * A system's /proc, /sys and /etc below a root directory: "/" on a live system, a fixture tree in
 * tests, so every doctor check reads the same relative paths in both.
 */
public record SystemTree(Path root) {
    public static SystemTree live() {
        return new SystemTree(Path.of("/"));
    }

    /**
     * A whole file, stripped, read with one large first read (many /proc/sys files answer a read
     * at a non-zero offset with EOF); empty when absent or unreadable.
     */
    public Optional<String> text(String relative) {
        try (InputStream in = Files.newInputStream(root.resolve(relative))) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A CPU list file ("0-3,8"); empty when absent or not a CPU list. */
    public List<Integer> cpuList(String relative) {
        try {
            return text(relative).map(CpuList::parse).orElse(List.of());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    /** Every process under proc/, in pid order. */
    public List<Task> processes() {
        return tasks("proc");
    }

    /** The threads of one process (proc/PID/task/), in tid order. */
    public List<Task> threads(int pid) {
        return tasks("proc/" + pid + "/task");
    }

    /** The targets of a process's open file descriptors; empty when it is gone, none when unreadable. */
    public Optional<List<String>> openFiles(int pid) {
        Path fds = root.resolve("proc/" + pid + "/fd");
        List<String> targets = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(fds)) {
            for (Path fd : ds) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException | UnsupportedOperationException e) {
                    // closed between listing and reading: not open any more
                }
            }
            return Optional.of(targets);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private List<Task> tasks(String dir) {
        List<Integer> ids = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root.resolve(dir))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) ids.add(Integer.valueOf(name));
            }
        } catch (IOException e) {
            return List.of();
        }
        ids.sort(null);
        List<Task> out = new ArrayList<>();
        for (int id : ids) {
            String base = dir + "/" + id;
            Optional<String> stat = text(base + "/stat");
            if (stat.isEmpty()) continue; // exited while we looked
            Optional<Task> task = Task.parse(id, text(base + "/comm").orElse(""), stat.get(),
                    text(base + "/status").orElse(""), text(base + "/cmdline").orElse(""));
            task.ifPresent(out::add);
        }
        return out;
    }
}
