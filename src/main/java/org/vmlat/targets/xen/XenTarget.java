package org.vmlat.targets.xen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Presets;
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
import org.vmlat.targets.ssh.SshSession;

/**
 * A Xen guest created in Dom0 with xl for each scenario. vmlat writes the xl configuration, creates
 * the guest paused, attaches a console reader (xl console, which works on any Dom0, unlike
 * xenconsoled's optional logs), unpauses it, and reads cyclictest's result from the console. The
 * guest powers itself off; it is destroyed in any case, on failure, timeout and Ctrl-C. Loads with
 * placement "host" run in Dom0; "guest" runs hackbench in the guest.
 */
public final class XenTarget implements Target {
    private static final String XL = "PATH=$PATH:/usr/sbin:/usr/lib/xen/bin; ";

    /** Shell: the pids whose command line contains $1 (no pgrep on a minimal Dom0). */
    private static final String PIDS = "pids() { for p in /proc/[0-9]*; do case \"$(tr '\\0' ' ' < $p/cmdline 2>/dev/null)\" in *\"$1\"*) echo ${p#/proc/};; esac; done; }; ";
    private final String name;
    private final XenSettings settings;
    private final Dom0 dom0;
    private final GuestImageBuilder images;
    private final Path consoleDir;
    private final Consumer<String> warnings;
    private final Consumer<String> info;
    private GuestImage image;
    private Dom0.RemoteImage remote;
    private Map<String, String> xenFacts;
    private volatile boolean traceKernel;

    /** @param consoleDir where the console logs of failed guests are kept on this machine */
    public XenTarget(String name, XenSettings settings, Dom0 dom0, GuestImageBuilder images, Path consoleDir,
                     Consumer<String> warnings, Consumer<String> info) {
        this.name = name;
        this.settings = settings;
        this.dom0 = dom0;
        this.images = images;
        this.consoleDir = consoleDir;
        this.warnings = warnings;
        this.info = info;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> loadCommand(LoadSpec load) {
        return GuestArgs.loadRecord(load, () -> {
            List<String> c = new ArrayList<>(List.of("(in Dom0)"));
            c.addAll(dom0Load(load));
            return c;
        });
    }

    /** A load's command as Dom0 runs it: the host presets, by name from Dom0's PATH, one worker per Dom0 vCPU by default. */
    static List<String> dom0Load(LoadSpec load) {
        if (!load.command().isEmpty()) return load.pinned(load.command());
        if (load.preset().startsWith("builtin-")) {
            throw new ProbeException("load " + load.name() + ": built-in loads are Java and do not run in Dom0; use stress-ng or hackbench presets");
        }
        String n = load.instances() == 0 ? Dom0.NPROC : Integer.toString(load.instances());
        return load.pinned(Presets.resolve(load.preset(), 1, Map.of("stress-ng", "stress-ng", "hackbench", "hackbench"), List.of(), "/tmp").command()
                .stream().map(w -> w.equals("1") ? n : w).toList());
    }

    @Override
    public String probeCommand(Probe probe, ProbeSpec spec) {
        return GuestArgs.commandLine(spec) + " (in Xen " + settings.mode().toUpperCase() + " guest " + name + ")";
    }

    /** Reaches Dom0 and checks it is one: an unknown host key or refused key stops the run before it starts. */
    @Override
    public synchronized void check() {
        if (xenFacts == null) xenFacts = dom0.connect(info);
    }

    /** Connects, builds the guest image and installs it in Dom0, once. */
    @Override
    public synchronized void prepare() {
        if (xenFacts == null) xenFacts = dom0.connect(info);
        if (image == null) image = images.build(settings.kernel(), m -> info.accept(name + ": " + m));
        if (remote == null) remote = dom0.install(image, m -> info.accept(name + ": " + m));
        if (settings.mode().equals("hvm") && image.bzImage() == null) {
            throw new ProbeException(name + ": an HVM guest boots a bzImage (vmlinuz) through the device model; " + settings.kernel() + " is a bare ELF");
        }
    }

    @Override
    public Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        // a served guest lives in its scheduler's cpupool, made with it and destroyed with it. A traced scenario is
        // served: its RUN line names the trace ring, and the guest switches its tracing off and reports it so before
        // it serves the next
        if (settings.bootOnce()) return measureServed(spec, load, listener, control);
        dom0.slot().close(); // a guest kept from an earlier scenario would run beside this one's measurement
        return measureBooting(spec, load, listener, control);
    }

    /** The reference: a guest created for this scenario alone, its options on the kernel command line. */
    private Measured measureBooting(ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        SshSession ssh = dom0.ssh();
        String guest = dom0.newName();
        String pool = settings.scheduler().isEmpty() ? "" : guest;
        String cfgPath = Dom0.RUN_DIR + "/" + guest + ".cfg";
        String consolePath = Dom0.RUN_DIR + "/" + guest + ".console";
        String cmdline = cmdline(settings.guestCmdline(), GuestArgs.kernelValue(spec), load.placement().inGuest() && !load.isNone(), traceKernel);
        String config = XlConfig.render(guest, effective(), remote.kernel(), remote.initrd(), cmdline, pool);
        String dom0Load = null;
        boolean created = false;
        boolean poolMade = false;
        String console = "";
        try {
            if (!pool.isEmpty()) {
                createPool(ssh, pool);
                poolMade = true;
            }
            dom0Load = startDom0Load(load);
            SshSession.Result w = ssh.run("mkdir -p " + Dom0.RUN_DIR + " && cat > " + cfgPath, config.getBytes(StandardCharsets.UTF_8), 60_000);
            if (!w.ok()) throw new ProbeException("cannot write " + cfgPath + " in Dom0: " + w.err().strip());
            long start = System.currentTimeMillis();
            SshSession.Result c = ssh.run(XL + "xl create -p " + cfgPath, null, settings.bootTimeoutNs() / 1_000_000);
            created = true;
            if (!c.ok()) {
                throw new ProbeException("xl create failed (exit " + c.exit() + "): " + xlMessage(c.err() + c.out()));
            }
            ssh.check(XL + "setsid xl console" + consoleKind() + " " + guest + " </dev/null >" + consolePath + " 2>&1 & echo $! > " + consolePath + ".pid", 60_000);
            if (settings.mode().equals("hvm") && settings.dmPriority() > 0) prioritiseDeviceModel(ssh, guest);
            ssh.check(XL + "xl unpause " + guest, 60_000);
            listener.started(start);
            console = waitFor(ssh, guest, consolePath, 0, GuestOutput.STARTED, settings.bootTimeoutNs() / 1_000_000, control, "boot");
            console = waitFor(ssh, guest, consolePath, 0, GuestOutput.DONE, measureMs(spec), control, "measurement");
            MeasurementResult r = result(spec, GuestTrace.withoutTrace(console), console, config, start, Map.of(SettingsKeys.GUEST_BOOT, "fresh"));
            return measured(r, dom0Load != null ? dom0.loadFailure(dom0Load) : null, console);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } catch (ProbeException e) {
            if (created) {
                String text = ssh.run("cat " + consolePath + " 2>/dev/null", null, 60_000).out();
                if (!text.isBlank()) console = text;
            }
            throw created ? new ProbeException(e.getMessage() + keep(guest, GuestTrace.withoutTrace(console), config)) : e;
        } finally {
            if (created) destroy(ssh, guest);
            if (dom0Load != null) dom0.stopLoad(dom0Load);
            if (poolMade) destroyPool(ssh, pool, settings.pin());
            ssh.run("rm -f " + cfgPath + " " + consolePath + " " + consolePath + ".pid", null, 60_000);
        }
    }

    /**
     * Starts a scenario's load in Dom0 and gives it a second to fail; null when the scenario has no load there. A
     * load that fails, or whose wait is interrupted, is stopped here: the caller has no name for it yet.
     */
    private String startDom0Load(LoadSpec load) throws InterruptedException {
        if (load.isNone() || !load.placement().onHost()) return null;
        String id = dom0.startLoad(dom0Load(load));
        String failed;
        try {
            Thread.sleep(1000);
            failed = dom0.loadFailure(id);
        } catch (InterruptedException | RuntimeException e) {
            dom0.stopLoad(id);
            throw e;
        }
        if (failed != null) {
            dom0.stopLoad(id);
            throw new ProbeException(failed);
        }
        return id;
    }

    /** A scenario's result, its Dom0 load's failure if it had one, and its kernel trace from the console when traced. */
    private Measured measured(MeasurementResult r, String loadFailure, String console) {
        Measured done = new Measured(r, loadFailure == null ? null : "during the measurement: " + loadFailure);
        if (!traceKernel) return done;
        Optional<KernelTrace> trace = GuestTrace.parse("Xen guest " + name, console);
        return trace.isPresent() ? done.withKernelTrace(trace.get()) : done;
    }

    /** Emulation is slow: 3x the duration plus two minutes (a traced guest's trace comes after its result). */
    private static long measureMs(ProbeSpec spec) {
        return spec.durationNs() / 1_000_000 * 3 + 120_000;
    }

    /** xl console's option for the guest's console: an HVM guest talks on its emulated serial port. */
    private String consoleKind() {
        return settings.mode().equals("hvm") ? " -t serial" : "";
    }

    /**
     * A scenario on a guest that serves scenarios: the kept guest when it was created with the same key, else a
     * fresh one. The scenario goes to the guest as a RUN line on its console, and its result comes back on the
     * console after what was there before. The guest is kept for the next scenario only when this one succeeded
     * and the guest reported nothing left of the probe or the load; otherwise it is destroyed here and the next
     * scenario boots afresh.
     */
    private Measured measureServed(ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        SshSession ssh = dom0.ssh();
        String cmdline = serveCmdline(settings.guestCmdline());
        // the pool's name is the guest's: the key renders both with one placeholder, and the scheduler is in the key
        ServedDomU.Key key = new ServedDomU.Key(XlConfig.render(KEY_NAME, effective(), remote.kernel(), remote.initrd(), cmdline,
                settings.scheduler().isEmpty() ? "" : KEY_NAME), settings.mode().equals("hvm") ? settings.dmPriority() : 0, settings.scheduler());
        long start = System.currentTimeMillis();
        ServedDomU guest = dom0.slot().take(key);
        boolean reused = guest != null;
        boolean keep = false;
        String dom0Load = null;
        String console = "";
        try {
            if (guest == null) guest = boot(ssh, key, cmdline, control);
            int n = guest.nextScenario();
            dom0Load = startDom0Load(load);
            listener.started(start);
            long from = guest.send(GuestArgs.serveLine(n, spec, load.placement().inGuest() && !load.isNone() ? "hackbench" : "",
                    traceKernel ? GuestTrace.BUFFER_KB : 0));
            console = waitFor(ssh, guest.name(), guest.console(), from, GuestOutput.DONE + " id=" + n + ";", measureMs(spec), control, "measurement");
            String left = GuestOutput.leftover(console);
            Map<String, String> boot = new LinkedHashMap<>();
            boot.put(SettingsKeys.GUEST_BOOT, reused ? "reused" : "fresh");
            boot.put("guest.boot_scenario", Integer.toString(n));
            if (!reused) boot.put("guest.boot_ms", Long.toString(guest.bootMs()));
            boot.put("guest.clean", left == null ? "unknown" : left.isEmpty() ? "yes" : "no: " + left);
            MeasurementResult r = result(spec, GuestTrace.withoutTrace(console), console, guest.config(), start, boot);
            String failure = dom0Load != null ? dom0.loadFailure(dom0Load) : null;
            keep = failure == null && left != null && left.isEmpty();
            if (!keep && failure == null) {
                warnings.accept(name + ": the guest kept " + (left == null ? "no report of its processes" : left) + " after the scenario: the next one boots afresh");
            }
            return measured(r, failure, console);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } catch (ProbeException e) {
            if (guest == null) throw e;
            throw new ProbeException(e.getMessage() + " (scenario " + guest.servedCount() + " of this boot)" + keep(guest.name(), console, guest.config()));
        } finally {
            if (dom0Load != null) dom0.stopLoad(dom0Load);
            if (guest != null) {
                if (keep) dom0.slot().keep(guest);
                else guest.close();
            }
        }
    }

    /** The name a served guest's key renders its configuration with: the key is what the guest is, not what it is called. */
    private static final String KEY_NAME = "vmlat-served";

    /** Creates a guest that serves scenarios on its console and waits until it does, within the boot timeout. */
    private ServedDomU boot(SshSession ssh, ServedDomU.Key key, String cmdline, RunControl control) throws InterruptedException {
        String guest = dom0.newName();
        String pool = settings.scheduler().isEmpty() ? "" : guest;
        String config = XlConfig.render(guest, effective(), remote.kernel(), remote.initrd(), cmdline, pool);
        ServedDomU d = new ServedDomU(key, guest, config, 0, ssh, pool, settings.pin());
        long start = System.currentTimeMillis();
        boolean created = false;
        String console = "";
        try {
            if (!pool.isEmpty()) createPool(ssh, pool);
            SshSession.Result w = ssh.run("mkdir -p " + Dom0.RUN_DIR + " && cat > " + d.configPath(), config.getBytes(StandardCharsets.UTF_8), 60_000);
            if (!w.ok()) throw new ProbeException("cannot write " + d.configPath() + " in Dom0: " + w.err().strip());
            SshSession.Result c = ssh.run(XL + "xl create -p " + d.configPath(), null, settings.bootTimeoutNs() / 1_000_000);
            created = true;
            if (!c.ok()) throw new ProbeException("xl create failed (exit " + c.exit() + "): " + xlMessage(c.err() + c.out()));
            // xl console passes its input on only from a terminal; the console client it runs (xenconsole, in Xen's
            // private bin directory) does so from any input when told --interactive. Its input is a FIFO it holds
            // open read-write: it never reads an end, and every RUN line written into it goes to the guest's console
            SshSession.Result reader = ssh.run(XL + "c=$(ls /usr/lib/xen*/bin/xenconsole /usr/libexec/xen/bin/xenconsole 2>/dev/null | head -n1); "
                    + "[ -n \"$c\" ] || exit 7; d=$(xl domid " + guest + ") || exit 8; mkfifo " + d.input() + " && (setsid $c $d --num 0 --type "
                    + (settings.mode().equals("hvm") ? "serial" : "pv") + " --interactive 0<>" + d.input() + " >" + d.console() + " 2>&1 & echo $! > "
                    + d.console() + ".pid)", null, 60_000);
            if (!reader.ok()) {
                throw new ProbeException("cannot attach to the console of " + guest + (reader.exit() == 7
                        ? ": Xen's console client xenconsole is in neither /usr/lib/xen*/bin nor /usr/libexec/xen/bin (boot = \"per-scenario\" needs only xl console)"
                        : ": " + (reader.err() + reader.out()).strip()));
            }
            if (settings.mode().equals("hvm") && settings.dmPriority() > 0) prioritiseDeviceModel(ssh, guest);
            ssh.check(XL + "xl unpause " + guest, 60_000);
            console = waitFor(ssh, guest, d.console(), 0, SERVING, settings.bootTimeoutNs() / 1_000_000, control, "boot");
            return new ServedDomU(key, guest, config, System.currentTimeMillis() - start, ssh, pool, settings.pin());
        } catch (ProbeException | InterruptedException e) {
            if (created) {
                String text = ssh.run("cat " + d.console() + " 2>/dev/null", null, 60_000).out();
                if (!text.isBlank()) console = text;
            }
            d.close();
            if (e instanceof InterruptedException ie) throw ie;
            throw created ? new ProbeException(e.getMessage() + keep(guest, console, config)) : (ProbeException) e;
        }
    }

    /** /init's line once it serves scenarios on its console. */
    static final String SERVING = "VMLAT-SERVING";

    /** A serving guest's command line: the scenario's guest_cmdline, then vmlat's own parameter (see {@link #cmdline}). */
    static String serveCmdline(String guestCmdline) {
        return "quiet loglevel=1 " + GuestCmdline.prefix(guestCmdline) + "vmlat.serve=1";
    }

    /**
     * The settings as applied: on the emulated Xen, PVH and HVM guests get AVX masked from CPUID
     * unless the target sets cpuid itself; under emulated SVM their first AVX instruction
     * (glibc's string functions in busybox) raises #UD and kills init.
     */
    XenSettings effective() {
        if (!settings.cpuid().isEmpty() || dom0.emulated().isEmpty() || settings.mode().equals("pv")) return settings;
        return new XenSettings(settings.ssh(), settings.emulated(), settings.mode(), settings.kernel(), settings.vcpus(), settings.memoryMb(),
                settings.pin(), settings.dmPriority(), settings.scheduler(), EMULATED_CPUID, settings.xlExtra(), settings.bootTimeoutNs(),
                settings.guestCmdline(), settings.bootOnce());
    }

    static final String EMULATED_CPUID = "host,avx=0,avx2=0";

    /** Waits for a marker in the guest's console after its first {@code from} bytes; returns the console text from there. */
    private String waitFor(SshSession ssh, String guest, String consolePath, long from, String marker, long timeoutMs, RunControl control,
                           String phase) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        String read = "tail -c +" + (from + 1) + " " + consolePath;
        // Dom0 watches the console itself, five times a second for up to 10 s per command: one SSH round trip per
        // 10 s instead of one per look (each costs a second under emulation), and the marker is seen within 0.2 s.
        // Whether the domain still exists (xl is slow to start) is asked every 2 s.
        String watch = "i=0; while [ $i -lt 50 ]; do if " + read + " | grep -qF " + SshSession.quote(marker) + "; then echo found; " + read
                + "; exit 0; fi; i=$((i+1)); if [ $((i % 10)) -eq 0 ]; then " + XL + "xl domid " + guest + " >/dev/null 2>&1 || { echo gone; "
                + read + "; exit 0; }; fi; sleep 0.2; done; echo waiting";
        while (true) {
            String out = ssh.run(watch, null, 60_000).out();
            if (out.startsWith("found\n")) return out.substring(6);
            if (out.startsWith("gone\n")) {
                String text = out.substring(5);
                if (text.contains(marker)) return text; // written as the guest powered off
                throw new ProbeException("the guest ended during the " + phase + " (crashed or powered off)"); // its console follows
            }
            if (control.stopRequested()) throw new ProbeException("stopped during the " + phase);
            if (System.currentTimeMillis() > end) {
                throw new ProbeException("guest " + guest + " " + (phase.equals("boot") ? "did not boot" : "did not finish") + " within "
                        + timeoutMs / 1000 + " s; destroyed");
            }
        }
    }

    /**
     * The guest kernel's command line after the console: the scenario's guest_cmdline, then vmlat's
     * own parameters. loglevel=1: kernel messages (ACPI complaints under emulation) must not break
     * into the result block.
     */
    static String cmdline(String guestCmdline, String vmlatArgs, boolean guestLoad, boolean trace) {
        return "quiet loglevel=1 " + GuestCmdline.prefix(guestCmdline) + "vmlat.args=" + vmlatArgs + (guestLoad ? " vmlat.load=hackbench" : "")
                + (trace ? " " + GuestTrace.KERNEL_ARGS : "");
    }

    /**
     * The guest's /init traces its kernel around cyclictest and sends the trace on its console after the result
     * (the console is a Xen guest's only channel: no disk, no network). A PV or PVH console is a shared ring, a
     * few seconds for a 10 s trace under emulation; an HVM console is an emulated UART, minutes.
     */
    @Override
    public boolean traceKernel() {
        traceKernel = true;
        return true;
    }

    /** Destroys the guest kept for a next scenario: the run is over (the run's end closes Dom0's slot too). */
    @Override
    public void close() {
        dom0.slot().close();
    }

    @Override
    public Optional<String> hostSideUntraced() {
        return Optional.of("Xen, not a Linux kernel, runs this guest's vCPUs and delivers its timers: Xen's scheduling and its timer "
                + "slop are in no Linux trace and count in L1 (timer interrupt late)");
    }

    /** @param kept the console as the result keeps it; {@code console} as the guest wrote it */
    private MeasurementResult result(ProbeSpec spec, String kept, String console, String config, long start, Map<String, String> boot) {
        GuestOutput g = GuestOutput.parse("Xen guest " + name, console, spec.intervalNs(), spec.durationNs());
        Map<String, String> s = new LinkedHashMap<>();
        s.put("xen.mode", settings.mode());
        s.put("xen.kernel", settings.kernel());
        s.put("xen.vcpus", Integer.toString(settings.vcpus()));
        s.put("xen.pin", CpuList.format(settings.pin()));
        s.put("xen.dm_priority", Integer.toString(settings.dmPriority()));
        s.put("xen.scheduler", settings.scheduler().isEmpty() ? "Pool-0 (" + xenFacts.getOrDefault("xen.scheduler", "?") + ")" : settings.scheduler());
        s.put("xen.xl_config", config);
        s.put(SettingsKeys.GUEST_CMDLINE, settings.guestCmdline());
        s.putAll(boot);
        List<String> w = new ArrayList<>();
        if (!dom0.emulated().isEmpty()) {
            s.put("emulated", "Xen " + xenFacts.getOrDefault("xen.version", "") + " in " + dom0.emulated());
            w.add("EMULATED: Xen in " + dom0.emulated() + ": these figures measure emulation, not Xen on hardware");
        }
        String seen = g.facts().get("guest.guest_type");
        if (seen != null && !seen.equalsIgnoreCase(settings.mode())) w.add("the guest reports guest_type " + seen + ", not " + settings.mode().toUpperCase());
        return new GuestRun(name, spec, image.kernelPackage(), s, xenFacts, w).result(g, kept, start, System.currentTimeMillis());
    }

    /** Raises every thread of the guest's device model (qemu with -xen-domid N) to SCHED_FIFO. */
    private void prioritiseDeviceModel(SshSession ssh, String guest) {
        String script = XL + PIDS + "d=$(xl domid " + guest + ") || exit 3; p=$(pids \"xen-domid $d \" | head -n1); [ -n \"$p\" ] || exit 4; "
                + "for t in /proc/$p/task/*; do chrt -f -p " + settings.dmPriority() + " ${t##*/} >/dev/null || exit 5; done; ls /proc/$p/task | wc -l";
        SshSession.Result r = ssh.run(script, null, 60_000);
        if (!r.ok()) {
            throw new ProbeException("cannot raise the device model of " + guest + " to SCHED_FIFO " + settings.dmPriority()
                    + (r.exit() == 4 ? ": no qemu process with -xen-domid found in Dom0" : ": " + (r.err() + r.out()).strip()));
        }
        info.accept(name + ": device model threads (" + r.out().strip() + ") at SCHED_FIFO " + settings.dmPriority());
    }

    private void createPool(SshSession ssh, String pool) {
        StringBuilder s = new StringBuilder(XL);
        List<String> cpus = new ArrayList<>();
        for (int c : new java.util.TreeSet<>(settings.pin())) {
            s.append("xl cpupool-cpu-remove Pool-0 ").append(c).append(" && ");
            cpus.add("\"" + c + "\"");
        }
        s.append("xl cpupool-create ").append(SshSession.quote("name=\"" + pool + "\"")).append(' ')
                .append(SshSession.quote("sched=\"" + settings.scheduler() + "\"")).append(' ')
                .append(SshSession.quote("cpus=[" + String.join(",", cpus) + "]"));
        SshSession.Result r = ssh.run(s.toString(), null, 120_000);
        if (!r.ok()) {
            destroyPool(ssh, pool, settings.pin());
            throw new ProbeException("cannot make cpupool " + pool + " with scheduler " + settings.scheduler() + " on CPUs "
                    + CpuList.format(settings.pin()) + ": " + xlMessage(r.err() + r.out()) + " (is " + settings.scheduler()
                    + " built into this Xen? Debian's Xen 4.17 has credit and credit2 only; rtds, null and arinc653 need a Xen built with CONFIG_EXPERT)");
        }
    }

    /** Returns the pool's CPUs to Pool-0; a guest being torn down (HVM: up to a minute) keeps it busy, so retry. */
    static void destroyPool(SshSession ssh, String pool, List<Integer> cpus) {
        ssh.run(XL + Dom0.destroyPoolScript(pool, CpuList.format(cpus)), null, 180_000);
    }

    private void destroy(SshSession ssh, String guest) {
        try {
            destroyDomain(ssh, guest);
        } catch (ProbeException e) {
            warnings.accept(name + ": could not destroy " + guest + " in Dom0: " + e.getMessage());
        }
    }

    /** Destroys a guest and ends its console reader. */
    static void destroyDomain(SshSession ssh, String guest) {
        ssh.run(XL + "xl domid " + guest + " >/dev/null 2>&1 && xl destroy " + guest + "; kill $(cat " + Dom0.RUN_DIR + "/" + guest
                + ".console.pid 2>/dev/null) 2>/dev/null; true", null, 120_000);
    }

    /** Keeps a failed guest's console and configuration on this machine; the reason names the file. */
    private String keep(String guest, String console, String config) {
        try {
            Files.createDirectories(consoleDir);
            Path f = consoleDir.resolve(guest + ".log");
            Files.writeString(f, "# xl configuration\n" + config + "\n# console\n" + console);
            return GuestOutput.consoleTail(console, 1200) + " (console and xl configuration kept in " + f + ")";
        } catch (IOException e) {
            return GuestOutput.consoleTail(console, 1200);
        }
    }

    /** xl's error lines without its "Parsing config" chatter. */
    static String xlMessage(String text) {
        List<String> keep = new ArrayList<>();
        for (String l : text.strip().split("\n")) {
            if (l.isBlank() || l.startsWith("Parsing config") || l.startsWith("got a tsc mode")) continue;
            keep.add(l.strip());
        }
        return keep.isEmpty() ? text.strip() : String.join(" | ", keep);
    }
}
