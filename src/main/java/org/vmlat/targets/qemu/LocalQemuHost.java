package org.vmlat.targets.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadProcess;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.os.FileTrees;
import org.vmlat.os.OsCallException;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.ThreadScheduling;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.reservation.ReservationApplier;
import org.vmlat.targets.reservation.VcpuReservation;

/**
 * QEMU on this machine: QEMU and host loads run in their own process groups with pid files
 * (the leftover reaper's), the vCPU thread ids come from QMP, scheduling is set directly.
 */
final class LocalQemuHost implements QemuHost {
    /** QEMU as a process of this machine: its pid leads to its threads. */
    private record LocalQemu(LoadProcess process) implements RunningQemu {
        @Override
        public boolean alive() {
            return process.isAlive();
        }

        @Override
        public String failure() {
            return process.failure();
        }

        @Override
        public void close() {
            process.close();
        }
    }

    private final LoadLauncher loads;
    private final AccelCheck accelCheck;

    LocalQemuHost(LoadLauncher loads, AccelCheck accelCheck) {
        this.loads = loads;
        this.accelCheck = accelCheck;
    }

    @Override
    public String where() {
        return "this machine";
    }

    @Override
    public void connect(Consumer<String> info) {
        // nothing to reach
    }

    @Override
    public String emulated() {
        return "";
    }

    @Override
    public Map<String, String> facts() {
        return Map.of();
    }

    @Override
    public ImageFiles install(GuestImage image, Consumer<String> progress) {
        return new ImageFiles(image.kernel().toString(), image.initrd().toString());
    }

    @Override
    public String decideAccel(GuestImage image, AccelCheck.CommandBuilder localCheck, BooleanSupplier testBoot) {
        return accelCheck.decide(image, localCheck);
    }

    @Override
    public String newDirectory(String prefix) {
        try {
            return PrivateFolder.createNumberedDirectory(prefix).toString();
        } catch (IOException e) {
            throw new ProbeException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    @Override
    public void removeDirectory(String dir) {
        FileTrees.deleteQuietly(Path.of(dir));
    }

    @Override
    public RunningQemu start(String target, List<String> argv) {
        LoadProcess p;
        try {
            p = LoadProcess.start(new LoadSpec("qemu-" + target, "", argv, 1, Placement.HOST), argv, loads.stateDir());
        } catch (IOException e) {
            throw new ProbeException(target + ": cannot start QEMU: " + e.getMessage(), e);
        }
        return new LocalQemu(p);
    }

    @Override
    public boolean contains(String file, String text) {
        return read(file).contains(text);
    }

    @Override
    public String read(String file) {
        try {
            Path f = Path.of(file);
            return Files.exists(f) ? Files.readString(f, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String tail(String file, int maxChars) {
        String s = read(file).replace("\r", "");
        return s.length() > maxChars ? s.substring(s.length() - maxChars) : s;
    }

    @Override
    public boolean keepsGuests() {
        return true;
    }

    @Override
    public long pollMs() {
        return 100;
    }

    @Override
    public void schedule(RunningQemu qemu, String dir, QemuSettings settings) {
        if (settings.pin().isEmpty() && settings.vcpuPriority() == 0 && settings.qemuPriority() == 0) return;
        long pid = ((LocalQemu) qemu).process().commandPid();
        try {
            List<Integer> vcpus = vcpuThreads(dir);
            if (settings.qemuPriority() > 0) {
                try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
                    for (Path t : tasks) {
                        int tid = Integer.parseInt(t.getFileName().toString());
                        if (!vcpus.contains(tid)) ThreadScheduling.setFor(tid, SchedPolicy.FIFO, settings.qemuPriority());
                    }
                }
            }
            for (int i = 0; i < vcpus.size(); i++) {
                int tid = vcpus.get(i);
                if (!settings.pin().isEmpty()) ThreadScheduling.pinThread(tid, settings.pin().get(i % settings.pin().size()));
                int prio = settings.vcpuPriority() > 0 ? settings.vcpuPriority() : settings.qemuPriority();
                if (prio > 0) ThreadScheduling.setFor(tid, SchedPolicy.FIFO, prio);
            }
        } catch (OsCallException e) {
            throw new ProbeException("cannot set the QEMU threads' scheduling: " + e.getMessage() + " (run as root or grant CAP_SYS_NICE)");
        } catch (IOException e) {
            throw new ProbeException("cannot read QEMU's threads: " + e.getMessage(), e);
        }
    }

    @Override
    public Reserved reserve(RunningQemu qemu, String dir, VcpuReservation reservation) {
        if (reservation.isNone()) return Reserved.NOTHING;
        long pid = ((LocalQemu) qemu).process().commandPid();
        List<Integer> vcpus = vcpuThreads(dir);
        ProcessIdentity identity = ProcessIdentity.of(pid).orElseThrow(() -> new ProbeException("QEMU " + pid + " ended before its reservation"));
        ReservationApplier.Applied applied = ReservationApplier.system().apply(reservation, identity, vcpus, ProcessIdentity.self());
        return new Reserved() {
            @Override
            public String readBack() {
                return applied.readBack();
            }

            @Override
            public void close() {
                applied.close();
            }
        };
    }

    /** The vCPU threads' ids, from QMP. */
    private static List<Integer> vcpuThreads(String dir) {
        try {
            return Qmp.vcpuThreads(Path.of(dir, "qmp.sock"), 10_000);
        } catch (IOException e) {
            throw new ProbeException("cannot read QEMU's vCPU threads: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        }
    }

    @Override
    public List<String> loadCommand(LoadSpec load) {
        return loads.resolve(load).command();
    }

    @Override
    public HostLoad startLoad(LoadSpec load) {
        LoadProcess p;
        try {
            p = loads.start(load);
        } catch (IOException e) {
            throw new ProbeException("cannot start load \"" + load.name() + "\": " + e.getMessage(), e);
        }
        return new HostLoad() {
            @Override
            public String failure() {
                return p.isAlive() ? null : p.failure();
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }
}
