package org.vmlat.targets.libvirt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The cgroup-v1 {@code cpu} controller under real-time group scheduling (CONFIG_RT_GROUP_SCHED):
 * a thread in a group whose {@code cpu.rt_runtime_us} is 0 cannot get SCHED_FIFO or RR at all
 * (EPERM, even for root), and libvirt puts every vCPU and emulator thread in such a group
 * ({@code machine/DOMAIN.libvirt-qemu/vcpu0}). For a scenario vmlat moves such a thread into the
 * controller's root group, where the system-wide real-time limit applies as to any thread, and
 * back afterwards; only the {@code cpu} controller is touched (pinning stays libvirt's cpuset).
 */
final class RtCgroup {
    private final Path proc;
    private final Path cpuRoot;

    /** @param cpuRoot where the v1 cpu controller is mounted, e.g. /sys/fs/cgroup/cpu */
    RtCgroup(Path proc, Path cpuRoot) {
        this.proc = proc;
        this.cpuRoot = cpuRoot;
    }

    static RtCgroup system() {
        return new RtCgroup(Path.of("/proc"), Path.of("/sys/fs/cgroup/cpu"));
    }

    /** The thread's group in the v1 cpu controller ("/machine/x.libvirt-qemu/vcpu0"), if that controller is in use. */
    Optional<String> group(int tid) {
        try {
            for (String line : Files.readAllLines(proc.resolve(tid + "/cgroup"))) {
                String[] f = line.split(":", 3);
                if (f.length == 3 && java.util.Arrays.asList(f[1].split(",")).contains("cpu")) return Optional.of(f[2]);
            }
        } catch (IOException e) {
            // the thread ended
        }
        return Optional.empty();
    }

    /** Whether the thread's group grants no real-time runtime, so that FIFO/RR would be refused. */
    boolean blocksRealtime(String group) {
        Path runtime = dir(group).resolve("cpu.rt_runtime_us");
        try {
            return !group.equals("/") && Files.exists(runtime) && Long.parseLong(Files.readString(runtime).strip()) == 0;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** Moves a thread into a group of the cpu controller ("/" = the root group). */
    void move(int tid, String group) throws IOException {
        Files.writeString(dir(group).resolve("tasks"), Integer.toString(tid));
    }

    private Path dir(String group) {
        return group.equals("/") ? cpuRoot : cpuRoot.resolve(group.substring(1));
    }
}
