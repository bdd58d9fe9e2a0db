package org.vmlat.targets.reservation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * CFS bandwidth for single threads through the cgroup-v1 {@code cpu} controller, where a thread
 * (not only a whole process) may be moved into a group by writing its id to {@code tasks}: vmlat
 * makes one group per reserved QEMU at the controller's root, sets {@code cpu.cfs_period_us} and
 * {@code cpu.cfs_quota_us}, moves the vCPU threads in, and back to their own groups afterwards.
 * (cgroup v2 moves single threads only within a threaded subtree of the process's own group,
 * which would mean moving the whole QEMU: not done; {@link #system} says so.)
 */
final class CpuGroups {
    private final Path proc;
    private final Path root;

    /** @param root where the v1 cpu controller is mounted, e.g. /sys/fs/cgroup/cpu */
    CpuGroups(Path proc, Path root) {
        this.proc = proc;
        this.root = root;
    }

    /** This machine's v1 cpu controller; IllegalStateException saying what is missing. */
    static CpuGroups system() {
        Path proc = Path.of("/proc");
        try {
            for (String line : Files.readAllLines(proc.resolve("self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 3 && f[2].equals("cgroup") && Arrays.asList(f[3].split(",")).contains("cpu")) {
                    return new CpuGroups(proc, Path.of(f[1]));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/mounts: " + e.getMessage(), e);
        }
        throw new IllegalStateException("cfs reservations need the cgroup-v1 cpu controller mounted (e.g. mount -t cgroup -o cpu cgroup /sys/fs/cgroup/cpu);"
                + " on a cgroup-v2-only machine vmlat does not move single vCPU threads (docs/reservations.md)");
    }

    Path root() {
        return root;
    }

    /** The thread's group in the cpu controller ("/" for the root group), if it has one. */
    Optional<String> group(int tid) {
        try {
            for (String line : Files.readAllLines(proc.resolve(tid + "/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && Arrays.asList(f[1].split(",")).contains("cpu")) return Optional.of(f[2]);
            }
        } catch (IOException e) {
            // the thread ended
        }
        return Optional.empty();
    }

    /** Makes a group at the root with this bandwidth; returns its path ("/vmlat-..."). */
    String create(String name, long quotaNs, long periodNs) throws IOException {
        String group = "/" + name;
        Path dir = dir(group);
        Files.createDirectories(dir);
        // the period first: the kernel checks a quota against the period the group has when the quota is written
        Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(periodNs / 1000));
        Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(quotaNs / 1000));
        return group;
    }

    void move(int tid, String group) throws IOException {
        Files.writeString(dir(group).resolve("tasks"), Integer.toString(tid));
    }

    /** What the group's files say now: "cpu.cfs_quota_us=2000 cpu.cfs_period_us=10000". */
    String bandwidth(String group) throws IOException {
        Path d = dir(group);
        return "cpu.cfs_quota_us=" + Files.readString(d.resolve("cpu.cfs_quota_us")).strip() + " cpu.cfs_period_us="
                + Files.readString(d.resolve("cpu.cfs_period_us")).strip();
    }

    /** The threads in a group now. */
    List<Integer> tasks(String group) throws IOException {
        return Files.readAllLines(dir(group).resolve("tasks")).stream().filter(s -> !s.isBlank()).map(Integer::parseInt).toList();
    }

    boolean exists(String group) {
        return Files.isDirectory(dir(group));
    }

    /** Removes an empty group (rmdir: the files in it are the kernel's). */
    void remove(String group) throws IOException {
        // a thread of a QEMU that is exiting leaves the group a moment after it left /proc/PID/task: until then
        // rmdir says the group is busy (seen once in a suite run), so retry for a while before reporting it
        long deadline = System.nanoTime() + REMOVE_WAIT_NS;
        while (true) {
            try {
                Files.deleteIfExists(dir(group));
                return;
            } catch (java.nio.file.FileSystemException e) {
                if (System.nanoTime() > deadline) throw e;
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static final long REMOVE_WAIT_NS = 3_000_000_000L;

    private Path dir(String group) {
        return group.equals("/") ? root : root.resolve(group.substring(1));
    }
}
