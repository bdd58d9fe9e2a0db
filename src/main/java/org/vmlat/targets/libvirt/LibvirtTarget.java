package org.vmlat.targets.libvirt;

import java.io.IOException;
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
import org.vmlat.os.CpuList;
import org.vmlat.os.command.CommandException;
import org.vmlat.os.command.CommandOutput;
import org.vmlat.os.command.CommandRunner;
import org.vmlat.os.command.RunningCommand;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.cyclictest.CyclictestCommandLine;
import org.vmlat.probe.cyclictest.CyclictestDriver;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetUnavailableException;
import org.vmlat.targets.ssh.SshMachine;

/**
 * An existing libvirt domain: cyclictest runs inside it through the QEMU guest agent (the one
 * cyclictest driver over a {@link GuestAgentRunner}) or over SSH to the guest (the ssh kind's
 * runner, on a connection the run shares); for each scenario the domain's vCPU and
 * emulator threads get the scenario's pinning and scheduling ({@link ThreadTuning}), which is
 * undone afterwards, and the domain's XML and the thread settings in force are kept as facts.
 * Host loads run on this machine, which must be libvirt's host; the guest load runs hackbench in
 * the guest through the agent.
 */
public final class LibvirtTarget implements Target {
    static final Path PROC = Path.of("/proc");
    /**
     * What the guest load runs inside the domain: hackbench as in vmlat's guest images, with
     * threads instead of processes, so that ending the one process the agent started ends it all.
     */
    static final List<String> GUEST_HACKBENCH = List.of("hackbench", "--threads", "--groups", "2", "--fds", "10", "--loops", "1000000000");

    private final String name;
    private final LibvirtSettings settings;
    private final Virsh virsh;
    private final LoadLauncher loads;
    private final Path recordFile;
    private final Consumer<String> warnings;
    private final Consumer<String> info;
    private final SshMachine guestSsh;
    private GuestAgentRunner agent;

    /** @param guestSsh the guest's SSH connection with probe "ssh" (shared by the run), else null */
    public LibvirtTarget(String name, LibvirtSettings settings, Virsh virsh, SshMachine guestSsh, LoadLauncher loads, Path restoreDir,
                         Consumer<String> warnings, Consumer<String> info) {
        this.name = name;
        this.guestSsh = guestSsh;
        this.settings = settings;
        this.virsh = virsh;
        this.loads = loads;
        this.recordFile = RestoreRecord.file(restoreDir, settings.uri(), settings.domain());
        this.warnings = warnings;
        this.info = info;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> loadCommand(LoadSpec load) {
        if (load.isNone()) return List.of();
        List<String> c = new ArrayList<>();
        if (load.placement().onHost()) c.addAll(loads.resolve(load).command());
        if (load.placement().onHost() && load.placement().inGuest()) c.add("+");
        if (load.placement().inGuest()) {
            c.add("(in the domain)");
            c.addAll(GUEST_HACKBENCH);
        }
        return c;
    }

    @Override
    public String probeCommand(Probe probe, ProbeSpec spec) {
        return String.join(" ", CyclictestCommandLine.command(settings.cyclictest(), spec, "/tmp/vmlat-cyclictest.json"))
                + " (in domain " + settings.domain() + (guestSsh != null ? " over SSH to " + guestSsh.where() : " through the guest agent") + ")";
    }

    /**
     * Reaches the domain (running, agent answering), puts back what an unfinished scenario of an
     * earlier vmlat left changed, and says what a non-root QEMU means for priorities.
     */
    @Override
    public void check() {
        try {
            String state = virsh.state();
            if (!state.equals("running")) {
                throw new TargetUnavailableException("target \"" + name + "\": domain " + settings.domain() + " is " + state
                        + ": start it first (virsh -c " + settings.uri() + " start " + settings.domain() + ")");
            }
            String restored = ThreadTuning.restorePending(recordFile, virsh, PROC, RtCgroup.system());
            if (!restored.isEmpty()) warnings.accept(name + ": " + restored);
        } catch (LibvirtException | IOException e) {
            throw new TargetUnavailableException("target \"" + name + "\": " + e.getMessage(), e);
        }
        if (guestSsh != null) {
            guestSsh.connect(info); // a refused or unknown host key stops the run here
        } else {
            try {
                agent().ping();
            } catch (LibvirtException e) {
                throw new TargetUnavailableException("target \"" + name + "\": the guest agent of domain " + settings.domain()
                        + " does not answer (" + e.getMessage() + "): the domain needs <channel type='unix'><target type='virtio'"
                        + " name='org.qemu.guest_agent.0'/></channel> and qemu-ga running inside, or probe = \"ssh\"", e);
            }
        }
        if (settings.local() && !isRoot() && (settings.vcpuScheduler() != null || settings.emulatorPriority() > 0)) {
            throw new TargetUnavailableException("target \"" + name + "\": vmlat sets the QEMU threads' scheduling through their"
                    + " thread ids, which needs root (CAP_SYS_NICE over libvirt's QEMU): run vmlat as root");
        }
        if (settings.local()) qemuUserNote();
    }

    /** libvirt itself refuses FIFO/RR vcpusched for a QEMU without CAP_SYS_NICE: say so, and how to let libvirt do it. */
    private void qemuUserNote() {
        try {
            DomainThreads t = DomainThreads.read(virsh, PROC);
            String uid = uid(PROC.resolve(t.qemu().pid() + "/status"));
            if (!uid.equals("0")) {
                info.accept(name + ": QEMU of domain " + settings.domain() + " runs as uid " + uid + ": libvirt refuses a real-time"
                        + " <vcpusched> for it (no CAP_SYS_NICE), so vmlat sets priorities through the thread ids as root; for libvirt"
                        + " to apply them itself set user = \"root\" and group = \"root\" in /etc/libvirt/qemu.conf and restart libvirtd");
            }
        } catch (LibvirtException | IOException e) {
            warnings.accept(name + ": cannot find the QEMU threads of domain " + settings.domain() + ": " + e.getMessage());
        }
    }

    static String uid(Path status) throws IOException {
        for (String line : Files.readAllLines(status)) if (line.startsWith("Uid:")) return line.substring(4).strip().split("\\s+")[0];
        return "?";
    }

    private static boolean isRoot() {
        try {
            return uid(PROC.resolve("self/status")).equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized GuestAgentRunner agent() {
        if (agent == null) agent = new GuestAgentRunner(virsh);
        return agent;
    }

    @Override
    public Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
        if (!settings.local() && load.placement().onHost() && !load.isNone()) {
            throw new ProbeException(name + ": a host load for a remote libvirt (" + settings.uri() + ") would run on this machine,"
                    + " not on the domain's host; place it in the guest");
        }
        CommandRunner runner = guestSsh != null ? guestSsh.runner() : agent();
        LoadProcess hostLoad = null;
        RunningCommand guestLoad = null;
        try {
            DomainThreads threads = settings.local() ? DomainThreads.read(virsh, PROC) : null;
            try (ThreadTuning tuning = ThreadTuning.apply(settings, virsh, threads, RtCgroup.system(), recordFile, PROC, warnings)) {
                Map<String, String> facts = new LinkedHashMap<>();
                facts.put("libvirt.uri", settings.uri());
                facts.put("libvirt.domain", settings.domain());
                String xml = virsh.dumpXml();
                facts.put("libvirt.domain_xml", xml);
                facts.put("libvirt.threads", threads != null ? ThreadTuning.inForce(threads) : pinsText());
                if (xml.contains("<domain type='qemu'")) facts.put("guest.accel", "tcg (full emulation, not KVM)");
                if (load.placement().onHost() && !load.isNone()) {
                    hostLoad = loads.start(load);
                    Thread.sleep(LOAD_SETTLE_MS);
                    if (!hostLoad.isAlive()) throw new ProbeException(hostLoad.failure());
                }
                if (load.placement().inGuest() && !load.isNone()) {
                    guestLoad = runner.start(GUEST_HACKBENCH, CommandOutput.DISCARD);
                    Thread.sleep(LOAD_SETTLE_MS);
                }
                MeasurementResult r = new CyclictestDriver(runner, settings.cyclictest()).run(spec, listener, control);
                String failure = hostLoad != null && !hostLoad.isAlive() ? "during the measurement: " + hostLoad.failure() : null;
                if (guestLoad != null && guestLoad.waitFor(0)) failure = "the guest load ended during the measurement (" + guestLoad.exitCode() + ")";
                Map<String, String> all = new LinkedHashMap<>(r.system());
                all.putAll(facts);
                return new Measured(r, all, failure);
            }
        } catch (LibvirtException | CommandException e) {
            throw new ProbeException(name + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ProbeException(name + ": cannot write the restore record: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } finally {
            if (guestLoad != null) guestLoad.close();
            if (hostLoad != null) hostLoad.close();
        }
    }

    /** A remote domain's pinning as libvirt reports it (its threads are not reachable from here). */
    private String pinsText() {
        StringBuilder s = new StringBuilder();
        virsh.vcpuPins().forEach((v, c) -> s.append("vcpu").append(v).append(" cpus=").append(CpuList.format(c)).append('\n'));
        s.append("emulator cpus=").append(CpuList.format(virsh.emulatorPin())).append('\n');
        return s.toString();
    }

    @Override
    public synchronized void close() {
        if (agent != null) agent.close();
        agent = null;
    }
}
