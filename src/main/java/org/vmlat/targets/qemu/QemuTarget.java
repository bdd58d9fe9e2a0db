package org.vmlat.targets.qemu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadProcess;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Placement;
import org.vmlat.os.CpuList;
import org.vmlat.os.FileTrees;
import org.vmlat.os.OsCallException;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.ThreadScheduling;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.targets.Target;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.image.GuestArgs;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.image.GuestRun;

/**
 * A QEMU guest booted by vmlat for each scenario: the guest image's /init runs cyclictest with the
 * scenario's settings and sends its histogram and JSON out through a second serial port. Host
 * loads run on the host as for the local target; the guest load "scheduler" runs hackbench inside
 * the guest. QEMU runs in its own process group with a pid file like a load, so it never outlives
 * vmlat; a guest that does not boot or does not finish in time is killed and its console log kept.
 */
public final class QemuTarget implements Target {
    private final String name;
    private final QemuSettings settings;
    private final LoadLauncher loads;
    private final GuestImageBuilder images;
    private final AccelCheck accelCheck;
    private final Consumer<String> warnings;
    private final Consumer<String> info;
    private GuestImage image;
    private String accel;

    public QemuTarget(String name, QemuSettings settings, LoadLauncher loads, GuestImageBuilder images, AccelCheck accelCheck,
                      Consumer<String> warnings, Consumer<String> info) {
        this.name = name;
        this.info = info;
        this.settings = settings;
        this.loads = loads;
        this.images = images;
        this.accelCheck = accelCheck;
        this.warnings = warnings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> loadCommand(LoadSpec load) {
        return GuestArgs.loadRecord(load, () -> loads.resolve(load).command());
    }

    @Override
    public String probeCommand(Probe probe, ProbeSpec spec) {
        return GuestArgs.commandLine(spec) + " (in guest " + name + ")";
    }

    /** Builds the guest image and decides the accelerator, once. */
    @Override
    public synchronized void prepare() {
        if (image == null) image = images.build(settings.kernel(), m -> info.accept(name + ": " + m));
        if (accel == null) {
            accel = switch (settings.accel()) {
                case "kvm", "tcg" -> settings.accel();
                default -> accelCheck.decide(image, this::command);
            };
            if (accel.equals("tcg")) warnings.accept(name + ": running under full emulation (TCG): the figures measure emulation, not KVM");
        }
    }

    public List<String> command(GuestImage img, String accelerator, String args, String guestLoad, Path dir) {
        List<String> c = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", accelerator, "-m", Integer.toString(settings.memoryMb()),
                "-smp", Integer.toString(settings.vcpus()), "-nodefaults", "-display", "none", "-no-reboot",
                "-kernel", img.kernel().toString(), "-initrd", img.initrd().toString(),
                "-append", "console=ttyS0 quiet panic=-1 vmlat.args=" + args + (guestLoad.isEmpty() ? "" : " vmlat.load=" + guestLoad),
                "-serial", "file:" + dir.resolve("console.log"),
                "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off"));
        if (img.virtioSerial()) {
            c.addAll(List.of("-device", "virtio-serial-pci", "-chardev", "file,id=vmlatres,path=" + dir.resolve("result.txt"),
                    "-device", "virtserialport,chardev=vmlatres,name=vmlat"));
        } else {
            c.addAll(List.of("-serial", "file:" + dir.resolve("result.txt")));
        }
        if (accelerator.equals("kvm")) c.addAll(List.of("-cpu", "host"));
        c.addAll(settings.extraArgs());
        return c;
    }

    @Override
    public Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        Path dir;
        try {
            dir = PrivateFolder.createNumberedDirectory("guest-");
        } catch (IOException e) {
            throw new ProbeException("cannot create a temporary directory: " + e.getMessage(), e);
        }
        boolean inGuest = load.placement().inGuest();
        boolean onHost = load.placement().onHost();
        LoadProcess hostLoad = null;
        LoadProcess qemu = null;
        try {
            if (onHost && !load.isNone()) {
                hostLoad = loads.start(load);
                Thread.sleep(1000);
                if (!hostLoad.isAlive()) throw new ProbeException(hostLoad.failure());
            }
            List<String> cmd = command(image, accel, GuestArgs.kernelValue(spec), inGuest ? "hackbench" : "", dir);
            long start = System.currentTimeMillis();
            qemu = LoadProcess.start(new LoadSpec("qemu-" + name, "", cmd, 1, Placement.HOST), cmd, loads.stateDir());
            applyPriorities(qemu, dir);
            listener.started(start);
            waitFor(dir.resolve("console.log"), GuestOutput.STARTED, settings.bootTimeoutNs() / 1_000_000, qemu, control, "boot");
            long measureMs = spec.durationNs() / 1_000_000 * 3 + 30_000; // emulation is slow: allow 3x plus 30 s
            waitFor(dir.resolve("result.txt"), GuestOutput.DONE, measureMs, qemu, control, "measurement");
            MeasurementResult r = parse(dir, spec, cmd, start);
            String failure = hostLoad != null && !hostLoad.isAlive() ? "during the measurement: " + hostLoad.failure() : null;
            return new Measured(r, failure);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } catch (IOException e) {
            throw new ProbeException(name + ": " + e.getMessage() + consoleTail(dir), e);
        } finally {
            if (qemu != null) qemu.close();
            if (hostLoad != null) hostLoad.close();
            FileTrees.deleteQuietly(dir); // temporary files only
        }
    }

    private void applyPriorities(LoadProcess qemu, Path dir) throws IOException, InterruptedException {
        if (settings.pin().isEmpty() && settings.vcpuPriority() == 0 && settings.qemuPriority() == 0) return;
        List<Integer> vcpus = Qmp.vcpuThreads(dir.resolve("qmp.sock"), 10_000);
        try {
            if (settings.qemuPriority() > 0) {
                try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + qemu.commandPid() + "/task"))) {
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
            throw new ProbeException(name + ": cannot set the QEMU threads' scheduling: " + e.getMessage()
                    + " (run as root or grant CAP_SYS_NICE)");
        }
    }

    private void waitFor(Path file, String marker, long timeoutMs, LoadProcess qemu, RunControl control, String phase)
            throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (true) {
            if (Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(marker)) return;
            if (control.stopRequested()) throw new ProbeException("stopped during the " + phase + consoleTail(file.getParent()));
            if (!qemu.isAlive()) {
                // the guest may have written the marker and powered off between the two checks
                if (Files.exists(file) && Files.readString(file, StandardCharsets.ISO_8859_1).contains(marker)) return;
                throw new ProbeException("QEMU exited during the " + phase + ": " + qemu.failure() + consoleTail(file.getParent()));
            }
            if (System.currentTimeMillis() > end) {
                throw new ProbeException("guest " + name + " " + (phase.equals("boot") ? "did not boot" : "did not finish") + " within "
                        + timeoutMs / 1000 + " s (" + accel + "); killed" + consoleTail(file.getParent()));
            }
            Thread.sleep(100);
        }
    }

    private MeasurementResult parse(Path dir, ProbeSpec spec, List<String> cmd, long start) throws IOException {
        String text = Files.readString(dir.resolve("result.txt"), StandardCharsets.ISO_8859_1);
        GuestOutput g = GuestOutput.parse("guest " + name, text, spec.intervalNs(), spec.durationNs());
        Map<String, String> s = new LinkedHashMap<>();
        s.put("qemu.command", String.join(" ", cmd));
        s.put("qemu.accel", accel);
        s.put("qemu.vcpus", Integer.toString(settings.vcpus()));
        s.put("qemu.vcpu_priority", Integer.toString(settings.vcpuPriority()));
        s.put("qemu.qemu_priority", Integer.toString(settings.qemuPriority()));
        s.put("qemu.pin", CpuList.format(settings.pin()));
        Map<String, String> facts = Map.of("guest.accel", accel.equals("tcg") ? "tcg (full emulation, not KVM)" : accel);
        List<String> warnings = accel.equals("tcg")
                ? List.of("EMULATED: QEMU full emulation (TCG): these figures measure emulation, not KVM") : List.of();
        return new GuestRun(name, spec, image.kernelPackage(), s, facts, warnings)
                .result(g, tail(dir.resolve("console.log"), GuestRun.CONSOLE_CHARS), start, System.currentTimeMillis());
    }

    private static String consoleTail(Path dir) {
        if (dir == null) return "";
        return GuestOutput.consoleTail(tail(dir.resolve("console.log"), 1500), 1500);
    }

    private static String tail(Path f, int max) {
        try {
            String s = Files.readString(f, StandardCharsets.ISO_8859_1).replace("\r", "");
            return s.length() > max ? s.substring(s.length() - max) : s;
        } catch (IOException e) {
            return "";
        }
    }
}
