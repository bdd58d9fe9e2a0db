package org.vmlat.targets.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadSpec;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.targets.KernelTrace;
import org.vmlat.targets.Target;
import org.vmlat.targets.image.GuestArgs;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.image.GuestTrace;
import org.vmlat.targets.reservation.ReservationException;
import org.vmlat.targets.ssh.SshMachine;

/**
 * A QEMU guest booted by vmlat, on this machine or on one reached over SSH ({@link QemuHost}): the
 * guest image's /init runs cyclictest with the scenario's settings and sends its histogram and
 * JSON out through a virtio-serial port. On this machine a guest serves consecutive scenarios
 * with the same {@link BootKey} (boot = "once", {@link ServedMeasurement}): each scenario's
 * options, tracing and reservation go on for it alone. Over SSH, and with boot = "per-scenario",
 * each scenario boots its own guest with its options on the kernel command line (the reference).
 * Host loads run on QEMU's host; the guest load "scheduler" runs hackbench inside the guest. QEMU
 * runs in its own process group that never outlives vmlat; a guest that does not boot or does not
 * finish in time is killed and its console's end kept in the failure.
 */
public final class QemuTarget implements Target {
    private final String name;
    private final QemuSettings settings;
    private final QemuHost host;
    private final GuestImageBuilder images;
    private final Consumer<String> warnings;
    private final Consumer<String> info;
    private GuestImage image;
    private QemuHost.ImageFiles files;
    private String accel;
    private volatile boolean traceKernel;
    private GuestSlot slot = new GuestSlot();
    private final QemuCommand commands;
    private final GuestWatch watch;
    private final GuestResults results;
    private ServedMeasurement served;

    /** A guest on this machine. */
    public QemuTarget(String name, QemuSettings settings, LoadLauncher loads, GuestImageBuilder images, AccelCheck accelCheck,
                      Consumer<String> warnings, Consumer<String> info) {
        this(name, settings, new LocalQemuHost(loads, accelCheck), images, warnings, info);
    }

    /** A guest on a machine reached over SSH. */
    public QemuTarget(String name, QemuSettings settings, SshMachine machine, GuestImageBuilder images,
                      Consumer<String> warnings, Consumer<String> info) {
        this(name, settings, new RemoteQemuHost(machine), images, warnings, info);
    }

    private QemuTarget(String name, QemuSettings settings, QemuHost host, GuestImageBuilder images, Consumer<String> warnings, Consumer<String> info) {
        this.name = name;
        this.settings = settings;
        this.host = host;
        this.images = images;
        this.warnings = warnings;
        this.info = info;
        this.commands = new QemuCommand(name, settings, host instanceof LocalQemuHost);
        this.watch = new GuestWatch(name, host, () -> accel);
        this.results = new GuestResults(name, settings, host, () -> image, () -> accel);
    }

    /** Shares the run's one kept guest with the other QEMU targets of the run (who closes the slot closes its guest). */
    QemuTarget sharing(GuestSlot shared) {
        this.slot = shared;
        return this;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> loadCommand(LoadSpec load) {
        return GuestArgs.loadRecord(load, () -> host.loadCommand(load));
    }

    @Override
    public String probeCommand(Probe probe, ProbeSpec spec) {
        return GuestArgs.commandLine(spec) + " (in guest " + name + (host instanceof LocalQemuHost ? "" : " on " + host.where()) + ")";
    }

    /** Reaches QEMU's host when it is another machine: a refused key stops the run before anything runs. */
    @Override
    public void check() {
        host.connect(m -> info.accept(name + ": " + m));
    }

    /** Builds the guest image, installs it on QEMU's host and decides the accelerator, once. */
    @Override
    public synchronized void prepare() {
        check();
        if (image == null) image = images.build(settings.kernel(), m -> info.accept(name + ": " + m));
        if (files == null) files = host.install(image, m -> info.accept(name + ": " + m));
        if (accel == null) {
            accel = switch (settings.accel()) {
                case "kvm", "tcg" -> settings.accel();
                default -> host.decideAccel(image, this::command, this::testBoot);
            };
            if (accel.equals("tcg")) warnings.accept(name + ": running under full emulation (TCG): the figures measure emulation, not KVM");
            if (!host.emulated().isEmpty()) warnings.accept(name + ": QEMU's host " + host.where() + " is emulated (" + host.emulated() + ")");
        }
        if (served == null && settings.boot() == QemuSettings.Boot.ONCE && host.keepsGuests() && image.virtioSerial()) {
            served = new ServedMeasurement(name, settings, host, bootKey(files, accel), commands, watch, results, slot, warnings);
        }
    }

    /** The QEMU command for a guest on this machine (the KVM test boot's). */
    public List<String> command(GuestImage img, String accelerator, String args, String guestLoad, Path dir) {
        return command(img.kernel().toString(), img.initrd().toString(), img.virtioSerial(), accelerator, args, guestLoad, dir.toString());
    }

    /** A guest booted for one scenario: the command for its directory {@code dir} on QEMU's host. */
    List<String> command(String kernel, String initrd, boolean virtioSerial, String accelerator, String args, String guestLoad, String dir) {
        return commands.oneScenario(kernel, initrd, virtioSerial, accelerator, args, guestLoad, traceKernel, dir);
    }

    /** The key of a guest that serves scenarios here with the image's files as installed there. */
    BootKey bootKey(QemuHost.ImageFiles installed, String accelerator) {
        return commands.bootKey(host.where(), installed, accelerator);
    }

    /** A one-loop guest under KVM on QEMU's host, within the boot timeout: whether it finished. */
    private boolean testBoot() {
        String dir = host.newDirectory("kvm-check-");
        QemuHost.RunningQemu qemu = null;
        try {
            qemu = host.start(name + "-kvm-check", command(files.kernel(), files.initrd(), image.virtioSerial(), "kvm", "-l1,-q", "", dir));
            long end = System.currentTimeMillis() + settings.bootTimeoutNs() / 1_000_000;
            while (System.currentTimeMillis() < end) {
                if (resultFile(dir) != null) return true;
                if (!qemu.alive()) return resultFile(dir) != null;
                Thread.sleep(host.pollMs());
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (qemu != null) qemu.close();
            host.removeDirectory(dir);
        }
    }

    @Override
    public Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        if (served != null) return served.measure(spec, load, traceKernel, listener, control);
        slot.close(); // a guest kept from an earlier scenario would run beside this one's measurement
        return measureBooting(spec, load, listener, control);
    }

    /** The reference: a guest booted for this scenario alone, its options on the kernel command line. */
    private Measured measureBooting(ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        String dir = host.newDirectory("guest-");
        boolean inGuest = load.placement().inGuest();
        boolean onHost = load.placement().onHost();
        QemuHost.HostLoad hostLoad = null;
        QemuHost.RunningQemu qemu = null;
        QemuHost.Reserved reserved = null;
        ClockPinger pinger = null;
        RemoteHostTrace remoteTrace = null;
        try {
            List<String> cmd = command(files.kernel(), files.initrd(), image.virtioSerial(), accel, GuestArgs.kernelValue(spec),
                    inGuest ? "hackbench" : "", dir);
            if (traceKernel && host instanceof RemoteQemuHost remote && cmd.contains("pipe,id=vmlatsync,path=" + dir + "/" + RemoteHostTrace.SYNC_PIPE)) {
                RemoteHostTrace.prepare(remote.machine(), dir);
                remoteTrace = RemoteHostTrace.start(remote.machine(), dir, settings.pin());
            }
            if (onHost && !load.isNone()) {
                hostLoad = host.startLoad(new LoadSpec(load.name(), "", gated(dir + "/console.log", GuestOutput.STARTED, host.loadCommand(load)), 1,
                        load.placement()));
            }
            long start = System.currentTimeMillis();
            qemu = host.start(name, cmd);
            try {
                host.schedule(qemu, dir, settings);
                reserved = host.reserve(qemu, dir, settings.reservation());
            } catch (ProbeException | ReservationException e) {
                throw new ProbeException(name + ": " + e.getMessage(), e);
            }
            listener.started(start);
            watch.untilIn(dir, List.of("console.log"), GuestOutput.STARTED, settings.bootTimeoutNs() / 1_000_000, qemu, control, "boot", true);
            if (hostLoad != null && hostLoad.failure() != null) throw new ProbeException(hostLoad.failure());
            Map<Integer, String> threads = Map.of();
            if (traceKernel && host instanceof LocalQemuHost) {
                pinger = ClockPinger.start(Path.of(dir, QemuCommand.SYNC_SOCKET), 50, 1);
                threads = QemuThreads.of(Path.of(dir, "qemu.pid"));
            } else if (remoteTrace != null) {
                threads = remoteTrace.threads(settings.vcpus());
            }
            List<String> resultFiles = List.of("result.txt", QemuCommand.SERIAL_RESULT);
            String failure = null;
            if (hostLoad != null) {
                // the guest's cyclictest ends by its clock, which follows the host's: once its duration has passed the load
                // has done its work, and a guest it starves may need the CPU back to write its result and power off
                if (!watch.untilIn(dir, resultFiles, GuestOutput.DONE, spec.durationNs() / 1_000_000 + LOAD_SETTLE_MS, qemu, control, "measurement", false)) {
                    String f = hostLoad.failure();
                    if (f != null) failure = "during the measurement: " + f;
                    hostLoad.close();
                    hostLoad = null;
                }
            }
            long measureMs = spec.durationNs() / 1_000_000 * 3 + 30_000; // emulation is slow: allow 3x plus 30 s
            watch.untilIn(dir, resultFiles, GuestOutput.DONE, measureMs, qemu, control, "measurement", true);
            List<KernelTrace.RoundTrip> trips = pinger != null ? pinger.stop() : List.of();
            RemoteHostTrace.Recorded hostSide = null;
            if (remoteTrace != null) {
                try {
                    hostSide = remoteTrace.stop();
                } catch (ProbeException e) {
                    warnings.accept(name + ": " + e.getMessage());
                }
            }
            String text = host.read(resultFileOr(dir));
            MeasurementResult r = results.parse(dir, text, spec, cmd, start, reserved.readBack(), Map.of(SettingsKeys.GUEST_BOOT, "fresh"));
            if (hostLoad != null && hostLoad.failure() != null) failure = "during the measurement: " + hostLoad.failure();
            Measured done = new Measured(r, failure);
            if (traceKernel) {
                Optional<KernelTrace> trace = GuestTrace.parse("guest " + name, text);
                if (trace.isPresent() && hostSide != null) {
                    done = done.withKernelTrace(trace.get().withHost(hostSide.roundTrips(), threads, hostSide.trace()));
                } else if (trace.isPresent()) {
                    done = done.withKernelTrace(trace.get().withHost(trips, threads));
                }
            }
            return done;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } finally {
            // the reservation comes off while QEMU still runs, so that a restore that fails is seen (and recorded) here
            if (reserved != null) {
                try {
                    reserved.close();
                } catch (ReservationException e) {
                    warnings.accept(name + ": " + e.getMessage());
                }
            }
            if (pinger != null) pinger.close();
            if (remoteTrace != null) remoteTrace.close();
            if (qemu != null) qemu.close();
            if (hostLoad != null) hostLoad.close();
            host.removeDirectory(dir); // temporary files only
        }
    }

    @Override
    public boolean hostedHere() {
        return host instanceof LocalQemuHost;
    }

    /** The guest's /init traces its kernel around cyclictest and sends the trace with the result. */
    @Override
    public boolean traceKernel() {
        traceKernel = true;
        return true;
    }

    /** Shuts down the guest kept for the next scenario: the run is over. */
    @Override
    public void close() {
        slot.close();
    }

    /**
     * A host load's command that waits until the guest's console says its probe starts: stress
     * during the boot is not measured and only lengthens it (under emulation it starves the boot
     * for minutes), and a load started only when the phase is seen over SSH would miss the first
     * seconds of the measurement.
     */
    static List<String> gated(String console, String marker, List<String> command) {
        List<String> c = new ArrayList<>(List.of("sh", "-c",
                "while ! grep -qF \"$1\" \"$0\" 2>/dev/null; do sleep 0.1; done; shift; exec \"$@\"", console, marker));
        c.addAll(command);
        return c;
    }

    /** The file holding the guest's whole result, or null while there is none. */
    private String resultFile(String dir) {
        for (String f : List.of("result.txt", QemuCommand.SERIAL_RESULT)) if (host.contains(dir + "/" + f, GuestOutput.DONE)) return dir + "/" + f;
        return null;
    }

    private String resultFileOr(String dir) {
        String file = resultFile(dir);
        return file != null ? file : dir + "/result.txt";
    }


}
