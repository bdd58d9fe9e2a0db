package org.vmlat.targets.libvirt;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.vmlat.os.CpuList;
import org.vmlat.os.Executables;
import org.vmlat.os.VmlatDirs;
import org.vmlat.os.command.LocalCommandRunner;
import org.vmlat.targets.MatrixDimension;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetTable;
import org.vmlat.targets.TargetUnavailableException;
import org.vmlat.targets.ssh.SshMachine;
import org.vmlat.targets.ssh.SshSession;
import org.vmlat.targets.ssh.SshSettings;

/**
 * {@code kind = "libvirt"}: an existing, running libvirt domain (docs/targets.md). Its vCPU and
 * emulator threads' pinning and scheduling are matrix dimensions, applied for each scenario and
 * restored after it; pending restores of a vmlat that was killed are applied when a target on the
 * same domain is checked.
 */
public final class LibvirtKind implements TargetKind<LibvirtSettings> {
    @Override
    public String name() {
        return "libvirt";
    }

    @Override
    public Set<String> keys() {
        return Set.of("uri", "domain", "probe", "cyclictest", "vcpu_pin", "vcpu_sched", "vcpu_priority", "emulator_pin", "emulator_priority",
                "host", "port", "user", "identity", "known_hosts", "check_host_key");
    }

    @Override
    public Class<LibvirtSettings> settingsType() {
        return LibvirtSettings.class;
    }

    @Override
    public LibvirtSettings read(TargetTable t) {
        String uri = t.string("uri", "qemu:///system");
        String domain = t.string("domain", null);
        if (domain == null || domain.isBlank()) throw t.error("domain", "missing: the name of a running libvirt domain");
        String probe = t.string("probe", "agent");
        if (!LibvirtSettings.PROBES.contains(probe)) throw t.error("probe", "expected agent or ssh, got \"" + probe + "\"");
        SshSettings ssh = null;
        if (probe.equals("ssh")) {
            String host = t.string("host", null);
            if (host == null || host.isBlank()) throw t.error("host", "missing: probe = \"ssh\" reaches the guest at this address");
            String id = t.string("identity", null);
            String kh = t.string("known_hosts", null);
            ssh = new SshSettings(host, t.integerIn("port", 22, 1, 65535, ""), t.string("user", "root"), id == null ? null : Path.of(home(id)),
                    kh == null ? null : Path.of(home(kh)), t.bool("check_host_key", true));
        } else {
            for (String k : SSH_KEYS) if (t.has(k)) throw t.error(k, "applies to probe = \"ssh\" only (the guest's SSH address)");
        }
        List<Integer> vcpuPin = cpus(t, "vcpu_pin");
        List<Integer> emulatorPin = cpus(t, "emulator_pin");
        VcpuScheduler sched;
        try {
            sched = LibvirtSettings.scheduler(t.string("vcpu_sched", ""));
        } catch (IllegalArgumentException e) {
            throw t.error("vcpu_sched", e.getMessage());
        }
        int prio = t.integerIn("vcpu_priority", 0, 0, 99, " (with vcpu_sched fifo or rr)");
        if (sched == null && prio > 0) sched = VcpuScheduler.FIFO;
        int emu = t.integerIn("emulator_priority", 0, 0, 99, " (SCHED_FIFO; 0 = as it is)");
        try {
            return new LibvirtSettings(uri, domain, probe, ssh, t.string("cyclictest", "cyclictest"), vcpuPin, sched, prio, emulatorPin, emu);
        } catch (IllegalArgumentException e) {
            throw t.error(null, e.getMessage());
        }
    }

    private static final List<String> SSH_KEYS = List.of("host", "port", "user", "identity", "known_hosts", "check_host_key");

    private static String home(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    private static List<Integer> cpus(TargetTable t, String key) {
        List<Integer> cpus;
        try {
            cpus = LibvirtSettings.cpus(t.string(key, ""));
        } catch (IllegalArgumentException e) {
            throw t.error(key, e.getMessage());
        }
        return cpus;
    }

    @Override
    public List<MatrixDimension> dimensions() {
        return List.of(new MatrixDimension("vcpu_pin", LibvirtKind::cpuValue),
                new MatrixDimension("vcpu_sched", v -> {
                    VcpuScheduler s = LibvirtSettings.scheduler(v);
                    return s == null ? "asis" : s.planName;
                }),
                MatrixDimension.range("vcpu_priority", 0, 99, " (with vcpu_sched fifo or rr; alone it means fifo)"),
                new MatrixDimension("emulator_pin", LibvirtKind::cpuValue),
                MatrixDimension.range("emulator_priority", 0, 99, " (SCHED_FIFO; 0 = as it is)"));
    }

    private static String cpuValue(String v) {
        List<Integer> c = LibvirtSettings.cpus(v);
        return c.isEmpty() ? "asis" : CpuList.format(c);
    }

    @Override
    public boolean guest() {
        return true;
    }

    /** cyclictest runs in the guest through the agent; vmlat's own probe needs a Java runtime there. */
    @Override
    public Set<String> engines() {
        return Set.of("cyclictest");
    }

    @Override
    public Target create(String name, LibvirtSettings settings, TargetContext context) {
        if (Executables.which("virsh").isEmpty()) {
            throw new TargetUnavailableException("target \"" + name + "\" needs virsh: apt-get install libvirt-clients");
        }
        Virsh virsh = new Virsh(new LocalCommandRunner(), settings.uri(), settings.domain());
        SshMachine guest = null;
        if (settings.guestSsh() != null) {
            if (Executables.which("ssh").isEmpty()) {
                throw new TargetUnavailableException("target \"" + name + "\" reaches its guest with ssh: apt-get install openssh-client");
            }
            SshSettings ssh = settings.guestSsh();
            guest = context.resources().shared(new GuestKey(ssh), SshMachine.class, () -> new SshMachine(new SshSession(ssh)));
        }
        return new LibvirtTarget(name, settings, virsh, guest, context.loads(), VmlatDirs.state("libvirt"), context.warnings(), context.info());
    }

    /** One connection per guest for every target of the run that measures in it. */
    private record GuestKey(SshSettings ssh) {
        @Override
        public String toString() {
            return "the SSH connection to guest " + ssh.where();
        }
    }
}
