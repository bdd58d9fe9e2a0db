package org.vmlat.targets.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.CpuList;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.targets.KernelTrace;
import org.vmlat.targets.Target;
import org.vmlat.targets.image.GuestArgs;
import org.vmlat.targets.image.GuestCmdline;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.image.GuestRun;
import org.vmlat.targets.image.GuestTrace;
import org.vmlat.targets.reservation.ReservationException;
import org.vmlat.targets.reservation.VcpuReservation;
import org.vmlat.targets.ssh.SshMachine;

/**
 * A QEMU guest booted by vmlat, on this machine or on one reached over SSH ({@link QemuHost}): the
 * guest image's /init runs cyclictest with the scenario's settings and sends its histogram and
 * JSON out through a virtio-serial port. On this machine a guest serves consecutive scenarios
 * with the same {@link BootKey} (boot = "once"): each scenario's options go in through the same
 * port, the QEMU threads' host scheduling is applied per scenario, and the guest is booted afresh
 * after a failure, a timeout, leftovers of the probe or load inside, or another key. Over SSH, and
 * with boot = "per-scenario", each scenario boots its own guest with its options on the kernel
 * command line. Host loads run on QEMU's host;
 * the guest load "scheduler" runs hackbench inside the guest. QEMU runs in its own process group
 * that never outlives vmlat; a guest that does not boot or does not finish in time is killed and
 * its console's end kept in the failure.
 */
public final class QemuTarget implements Target {
    /** Where the result lands when the guest does not find its virtio-serial port in time. */
    static final String SERIAL_RESULT = "result-serial.txt";
    /** The guest's clock round trips, when it traces its kernel. */
    static final String SYNC_SOCKET = "sync.sock";
    /** QEMU's socket behind the port of a guest that serves scenarios. */
    static final String CHANNEL = "channel.sock";
    /** The guest kernel parameter that makes /init serve scenarios. */
    static final String SERVE = "vmlat.serve=1";
    /** The serving guest's line once it waits for scenarios. */
    static final String SERVING = "VMLAT-SERVING";

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
    }

    /** The QEMU command for a guest on this machine (the KVM test boot's). */
    public List<String> command(GuestImage img, String accelerator, String args, String guestLoad, Path dir) {
        return command(img.kernel().toString(), img.initrd().toString(), img.virtioSerial(), accelerator, args, guestLoad, dir.toString());
    }

    /**
     * The QEMU command: {@code dir} (on QEMU's host) receives the console, the result, the QMP
     * socket and QEMU's pid file; the threads are named so that the vCPU threads can be found.
     */
    List<String> command(String kernel, String initrd, boolean virtioSerial, String accelerator, String args, String guestLoad, String dir) {
        return command(kernel, initrd, virtioSerial, accelerator, cmdline("vmlat.args=" + args + (guestLoad.isEmpty() ? "" : " vmlat.load=" + guestLoad)
                + (traceKernel ? " " + GuestTrace.KERNEL_ARGS : "")), dir, false);
    }

    /**
     * The guest kernel's command line with the scenario's guest_cmdline and vmlat's own parameters
     * last. no_timer_check: under TCG on a starved host the kernel's IO-APIC timer check sees too
     * few ticks and panics the boot ("IO-APIC + timer doesn't work"); a virtual machine's timer
     * works, the check only costs boots.
     */
    String cmdline(String vmlatParameters) {
        return "console=ttyS0 quiet panic=-1 no_timer_check " + GuestCmdline.prefix(settings.guestCmdline()) + vmlatParameters;
    }

    /** The key of a guest that serves scenarios here: what its QEMU command holds but its directory. */
    BootKey bootKey() {
        return bootKey(files, accel);
    }

    BootKey bootKey(QemuHost.ImageFiles installed, String accelerator) {
        return new BootKey(host.where(), installed.kernel(), installed.initrd(), cmdline(SERVE), settings.vcpus(), settings.memoryMb(), accelerator,
                settings.extraArgs());
    }

    /** The QEMU command of a guest serving scenarios through the socket {@link #CHANNEL} in {@code dir}. */
    private List<String> command(BootKey key, String dir) {
        return command(key.kernel(), key.initrd(), true, key.accel(), key.cmdline(), dir, true);
    }

    private List<String> command(String kernel, String initrd, boolean virtioSerial, String accelerator, String cmdline, String dir, boolean served) {
        List<String> c = new ArrayList<>(List.of("qemu-system-x86_64", "-name", guestName() + ",debug-threads=on", "-accel", accelerator,
                "-m", Integer.toString(settings.memoryMb()),
                "-smp", Integer.toString(settings.vcpus()), "-nodefaults", "-display", "none", "-no-reboot",
                "-kernel", kernel, "-initrd", initrd,
                "-append", cmdline,
                "-serial", "file:" + dir + "/console.log",
                "-qmp", "unix:" + dir + "/qmp.sock,server=on,wait=off", "-pidfile", dir + "/qemu.pid"));
        if (served) {
            c.addAll(List.of("-device", "virtio-serial-pci", "-chardev", "socket,id=vmlatres,path=" + dir + "/" + CHANNEL + ",server=on,wait=off",
                    "-device", "virtserialport,chardev=vmlatres,name=vmlat"));
        } else if (virtioSerial) {
            // the second serial port catches the result when the guest looked for the port's name before the host had
            // sent it (a slow guest: the name comes in a control message after the driver loads); /init then writes to ttyS1
            c.addAll(List.of("-serial", "file:" + dir + "/" + SERIAL_RESULT,
                    "-device", "virtio-serial-pci", "-chardev", "file,id=vmlatres,path=" + dir + "/result.txt",
                    "-device", "virtserialport,chardev=vmlatres,name=vmlat"));
            if (traceKernel && host instanceof LocalQemuHost) {
                // the clock round trips that align the guest's trace with this machine's
                c.addAll(List.of("-chardev", "socket,id=vmlatsync,path=" + dir + "/" + SYNC_SOCKET + ",server=on,wait=off",
                        "-device", "virtserialport,chardev=vmlatsync,name=vmlat-sync"));
            } else if (host instanceof RemoteQemuHost && cmdline.contains(GuestTrace.KERNEL_ARGS)) {
                // the same round trips made by a shell on QEMU's host (RemoteHostTrace), through FIFOs it made before
                c.addAll(List.of("-chardev", "pipe,id=vmlatsync,path=" + dir + "/" + RemoteHostTrace.SYNC_PIPE,
                        "-device", "virtserialport,chardev=vmlatsync,name=vmlat-sync"));
            }
        } else {
            c.addAll(List.of("-serial", "file:" + dir + "/result.txt"));
        }
        if (accelerator.equals("kvm")) c.addAll(List.of("-cpu", "host"));
        c.addAll(settings.extraArgs());
        return c;
    }

    /** QEMU's -name: the target's name, so that {@code vmlat design --apply TARGET} finds the guest. */
    String guestName() {
        return "vmlat-guest-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
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
        // a traced guest's tracing is on its kernel command line: it boots for its scenario, as a reserved one does,
        // so that a served guest never carries a trace and a traced one never serves another scenario
        if (settings.boot() == QemuSettings.Boot.ONCE && settings.reservation().isNone() && !traceKernel && host.keepsGuests() && image.virtioSerial()) {
            return measureServed(spec, load, listener, control);
        }
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
        QemuHost.Scheduled scheduled = null;
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
                scheduled = host.schedule(qemu, dir, settings);
            } catch (ProbeException | ReservationException e) {
                throw new ProbeException(name + ": " + e.getMessage(), e);
            }
            listener.started(start);
            waitFor(dir, List.of("console.log"), GuestOutput.STARTED, settings.bootTimeoutNs() / 1_000_000, qemu, control, "boot", true);
            if (hostLoad != null && hostLoad.failure() != null) throw new ProbeException(hostLoad.failure());
            Map<Integer, String> threads = Map.of();
            if (traceKernel && host instanceof LocalQemuHost) {
                pinger = ClockPinger.start(Path.of(dir, SYNC_SOCKET), 50);
                threads = QemuThreads.of(Path.of(dir, "qemu.pid"));
            } else if (remoteTrace != null) {
                threads = remoteTrace.threads(settings.vcpus());
            }
            List<String> results = List.of("result.txt", SERIAL_RESULT);
            String failure = null;
            if (hostLoad != null) {
                // the guest's cyclictest ends by its clock, which follows the host's: once its duration has passed the load
                // has done its work, and a guest it starves may need the CPU back to write its result and power off
                if (!waitFor(dir, results, GuestOutput.DONE, spec.durationNs() / 1_000_000 + LOAD_SETTLE_MS, qemu, control, "measurement", false)) {
                    String f = hostLoad.failure();
                    if (f != null) failure = "during the measurement: " + f;
                    hostLoad.close();
                    hostLoad = null;
                }
            }
            long measureMs = spec.durationNs() / 1_000_000 * 3 + 30_000; // emulation is slow: allow 3x plus 30 s
            waitFor(dir, results, GuestOutput.DONE, measureMs, qemu, control, "measurement", true);
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
            MeasurementResult r = parse(dir, text, spec, cmd, start, scheduled.reservation(), Map.of(SettingsKeys.GUEST_BOOT, "fresh"));
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
            if (scheduled != null) {
                try {
                    scheduled.close();
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

    /**
     * A scenario on a guest that serves scenarios: the kept guest when it was booted with the same
     * key and its threads can take this scenario's scheduling, else a fresh boot. The guest is kept
     * for the next scenario only when this one succeeded and the guest reported nothing left of
     * the probe or the load; otherwise it is shut down here and the next scenario boots afresh.
     */
    private Measured measureServed(ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        BootKey key = bootKey();
        HostScheduling wanted = HostScheduling.of(settings);
        long start = System.currentTimeMillis();
        ServedGuest guest = slot.take(key);
        if (guest != null && !guest.scheduling().canBecome(wanted)) {
            guest.close();
            guest = null;
        }
        boolean reused = guest != null;
        boolean keep = false;
        QemuHost.HostLoad hostLoad = null;
        try {
            if (guest == null) guest = boot(key, control);
            scheduleScenario(guest, wanted);
            int n = guest.nextScenario();
            String started = GuestOutput.STARTED + " id=" + n + ";", done = GuestOutput.DONE + " id=" + n + ";";
            String dir = guest.dir();
            GuestChannel channel = guest.channel();
            if (load.placement().onHost() && !load.isNone()) {
                hostLoad = host.startLoad(new LoadSpec(load.name(), "", gated(dir + "/console.log", started, host.loadCommand(load)), 1, load.placement()));
            }
            listener.started(start);
            channel.begin();
            channel.send(GuestArgs.serveLine(n, spec, load.placement().inGuest() ? "hackbench" : ""));
            waitFor(() -> host.contains(dir + "/console.log", started), dir, settings.bootTimeoutNs() / 1_000_000, guest.qemu(), control, "start", true);
            if (hostLoad != null && hostLoad.failure() != null) throw new ProbeException(hostLoad.failure());
            String failure = null;
            if (hostLoad != null) {
                // as with a guest booted per scenario: after the duration the load has done its work (see measureBooting)
                if (!waitFor(() -> channel.contains(done), dir, spec.durationNs() / 1_000_000 + LOAD_SETTLE_MS, guest.qemu(), control, "measurement", false)) {
                    String f = hostLoad.failure();
                    if (f != null) failure = "during the measurement: " + f;
                    hostLoad.close();
                    hostLoad = null;
                }
            }
            long measureMs = spec.durationNs() / 1_000_000 * 3 + 30_000; // emulation is slow: allow 3x plus 30 s
            waitFor(() -> channel.contains(done), dir, measureMs, guest.qemu(), control, "measurement", true);
            String text = channel.text();
            String left = GuestOutput.leftover(text);
            Map<String, String> boot = new LinkedHashMap<>();
            boot.put(SettingsKeys.GUEST_BOOT, reused ? "reused" : "fresh");
            boot.put("guest.boot_scenario", Integer.toString(n));
            if (!reused) boot.put("guest.boot_ms", Long.toString(guest.bootMs()));
            boot.put("guest.clean", left == null ? "unknown" : left.isEmpty() ? "yes" : "no: " + left);
            MeasurementResult r = parse(dir, text, spec, command(key, dir), start, "", boot);
            if (hostLoad != null && hostLoad.failure() != null) failure = "during the measurement: " + hostLoad.failure();
            keep = failure == null && left != null && left.isEmpty();
            if (!keep && failure == null) {
                warnings.accept(name + ": the guest kept " + (left == null ? "no report of its processes" : left) + " after the scenario: the next one boots afresh");
            }
            return new Measured(r, failure);
        } catch (ProbeException e) {
            if (guest == null) throw e;
            // what came back helps tell a guest that never answered from one whose answer was cut
            throw new ProbeException(e.getMessage() + " (scenario " + guest.served() + " of this boot; " + guest.channel().text().length()
                    + " characters came back through the channel)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } finally {
            if (hostLoad != null) hostLoad.close();
            if (guest != null) {
                if (keep) slot.keep(guest);
                else guest.close();
            }
        }
    }

    /** Boots a guest that serves scenarios and waits until it does, within the boot timeout. */
    private ServedGuest boot(BootKey key, RunControl control) throws InterruptedException {
        String dir = host.newDirectory("guest-");
        QemuHost.RunningQemu qemu = null;
        GuestChannel channel = null;
        long start = System.currentTimeMillis();
        try {
            qemu = host.start(name, command(key, dir));
            long timeoutMs = settings.bootTimeoutNs() / 1_000_000;
            channel = GuestChannel.connect(Path.of(dir, CHANNEL), name, timeoutMs, qemu);
            waitFor(dir, List.of("console.log"), SERVING, timeoutMs, qemu, control, "boot", true);
            return new ServedGuest(key, host, qemu, dir, channel, HostScheduling.NONE, System.currentTimeMillis() - start);
        } catch (RuntimeException | InterruptedException e) {
            if (channel != null) channel.close();
            if (qemu != null) qemu.close();
            host.removeDirectory(dir);
            throw e;
        }
    }

    /**
     * The host side of a scenario on a running guest: its QEMU threads' pinning and priorities.
     * One step per scenario, so that what else a scenario sets on the host joins it here.
     */
    private void scheduleScenario(ServedGuest guest, HostScheduling wanted) {
        if (guest.scheduling().equals(wanted)) return;
        try {
            host.schedule(guest.qemu(), guest.dir(), settings);
        } catch (ProbeException e) {
            throw new ProbeException(name + ": " + e.getMessage(), e);
        }
        guest.scheduled(wanted);
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

    /** Waits until one of the files holds the marker: true then; false at the timeout unless {@code fail} (then it throws). */
    private boolean waitFor(String dir, List<String> files, String marker, long timeoutMs, QemuHost.RunningQemu qemu, RunControl control,
                            String phase, boolean fail) throws InterruptedException {
        return waitFor(() -> containsAny(dir, files, marker), dir, timeoutMs, qemu, control, phase, fail);
    }

    /** Waits until {@code seen}: true then; false at the timeout unless {@code fail} (then it throws). */
    private boolean waitFor(java.util.function.BooleanSupplier seen, String dir, long timeoutMs, QemuHost.RunningQemu qemu, RunControl control,
                            String phase, boolean fail) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (true) {
            if (seen.getAsBoolean()) return true;
            if (control.stopRequested()) throw new ProbeException("stopped during the " + phase + consoleTail(dir));
            if (!qemu.alive()) {
                // the guest may have written the marker and powered off between the two checks
                if (seen.getAsBoolean()) return true;
                throw new ProbeException("QEMU exited during the " + phase + ": " + qemu.failure() + consoleTail(dir));
            }
            if (System.currentTimeMillis() > end) {
                if (!fail) return false;
                throw new ProbeException("guest " + name + " " + (phase.equals("boot") ? "did not boot" : "did not finish") + " within "
                        + timeoutMs / 1000 + " s (" + accel + (host instanceof LocalQemuHost ? "" : " on " + host.where()) + "); killed"
                        + consoleTail(dir));
            }
            Thread.sleep(host.pollMs());
        }
    }

    private boolean containsAny(String dir, List<String> files, String marker) {
        for (String f : files) if (host.contains(dir + "/" + f, marker)) return true;
        return false;
    }

    /** The file holding the guest's whole result, or null while there is none. */
    private String resultFile(String dir) {
        for (String f : List.of("result.txt", SERIAL_RESULT)) if (host.contains(dir + "/" + f, GuestOutput.DONE)) return dir + "/" + f;
        return null;
    }

    private String resultFileOr(String dir) {
        String file = resultFile(dir);
        return file != null ? file : dir + "/result.txt";
    }

    /** The scenario's result from what the guest sent; {@code boot} says how the guest came to measure it. */
    private MeasurementResult parse(String dir, String text, ProbeSpec spec, List<String> cmd, long start, String reservationReadBack,
                                    Map<String, String> boot) {
        GuestOutput g = GuestOutput.parse("guest " + name, text, spec.intervalNs(), spec.durationNs());
        Map<String, String> s = new LinkedHashMap<>();
        s.put("qemu.command", String.join(" ", cmd));
        s.put("qemu.accel", accel);
        s.put("qemu.vcpus", Integer.toString(settings.vcpus()));
        s.put("qemu.vcpu_priority", Integer.toString(settings.vcpuPriority()));
        s.put("qemu.qemu_priority", Integer.toString(settings.qemuPriority()));
        s.put("qemu.pin", CpuList.format(settings.pin()));
        s.put(SettingsKeys.GUEST_CMDLINE, settings.guestCmdline());
        if (!settings.host().isEmpty()) s.put("qemu.host", settings.host());
        VcpuReservation res = settings.reservation();
        s.put(SettingsKeys.RESERVATION, res.written());
        if (!res.isNone()) {
            s.put(SettingsKeys.RESERVATION_KIND, res.kind().name().toLowerCase(Locale.ROOT));
            s.put(SettingsKeys.RESERVATION_BUDGET_NS, Long.toString(res.budgetNs()));
            s.put(SettingsKeys.RESERVATION_DEADLINE_NS, Long.toString(res.deadlineNs()));
            s.put(SettingsKeys.RESERVATION_PERIOD_NS, Long.toString(res.periodNs()));
            s.put(SettingsKeys.RESERVATION_APPLIED, reservationReadBack);
        }
        s.putAll(boot);
        Map<String, String> facts = new LinkedHashMap<>(host.facts());
        facts.put("guest.accel", accel.equals("tcg") ? "tcg (full emulation, not KVM)" : accel);
        List<String> warns = new ArrayList<>();
        if (accel.equals("tcg")) warns.add("EMULATED: QEMU full emulation (TCG): these figures measure emulation, not KVM");
        if (!host.emulated().isEmpty()) {
            // the guest's own accelerator may be KVM: its host is what is emulated
            s.put(SettingsKeys.EMULATED, host.emulated());
            warns.add("EMULATED: QEMU's host " + host.where() + " runs under " + host.emulated() + ": these figures measure emulation, not hardware");
        }
        return new GuestRun(name, spec, image.kernelPackage(), s, facts, warns)
                .result(g, host.tail(dir + "/console.log", GuestRun.CONSOLE_CHARS), start, System.currentTimeMillis());
    }

    private String consoleTail(String dir) {
        return GuestOutput.consoleTail(host.tail(dir + "/console.log", 1500), 1500);
    }
}
