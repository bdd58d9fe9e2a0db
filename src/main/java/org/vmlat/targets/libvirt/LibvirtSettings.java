package org.vmlat.targets.libvirt;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.vmlat.os.CpuList;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.ssh.SshSettings;

/**
 * An existing libvirt domain and, for one scenario, the thread settings vmlat applies to it and
 * restores afterwards. Every setting left empty (or 0) leaves the domain as it is.
 *
 * @param uri              libvirt's connection URI: {@code qemu:///system}, {@code qemu+ssh://user@host/system}
 * @param domain           the domain's name; it must be running
 * @param probe            how the probe reaches the guest: "agent" (the QEMU guest agent) or "ssh"
 * @param guestSsh         with probe "ssh": how to reach the guest itself (null with "agent")
 * @param cyclictest       cyclictest's path or name inside the guest
 * @param vcpuPin          host CPUs for the vCPUs, one per vCPU in turn (through libvirt, live; empty = as it is)
 * @param vcpuScheduler    the vCPU threads' scheduler as libvirt's {@code <vcpusched>} names it (null = as it is)
 * @param vcpuPriority     its priority, 1..99 with fifo and rr, else 0
 * @param emulatorPin      host CPUs for the emulator threads (through libvirt, live; empty = as it is)
 * @param emulatorPriority SCHED_FIFO priority of the emulator threads (0 = as they are)
 */
public record LibvirtSettings(String uri, String domain, String probe, SshSettings guestSsh, String cyclictest, List<Integer> vcpuPin,
                              VcpuScheduler vcpuScheduler, int vcpuPriority, List<Integer> emulatorPin, int emulatorPriority)
        implements TargetSettings {
    public static final List<String> PROBES = List.of("agent", "ssh");

    public LibvirtSettings {
        if (uri == null || uri.isBlank()) throw new IllegalArgumentException("uri: must not be empty (e.g. qemu:///system)");
        if (domain == null || domain.isBlank()) throw new IllegalArgumentException("domain: must name a libvirt domain");
        if (!PROBES.contains(probe)) throw new IllegalArgumentException("probe: expected agent or ssh, got \"" + probe + "\"");
        if (probe.equals("ssh") != (guestSsh != null)) {
            throw new IllegalArgumentException("probe: \"ssh\" needs the guest's host (and only it takes host, port, user, identity, known_hosts,"
                    + " check_host_key), got probe \"" + probe + "\" with " + (guestSsh == null ? "no host" : "host " + guestSsh.where()));
        }
        vcpuPin = List.copyOf(vcpuPin);
        emulatorPin = List.copyOf(emulatorPin);
        boolean rt = vcpuScheduler != null && vcpuScheduler.realtime();
        if (rt && (vcpuPriority < 1 || vcpuPriority > 99)) {
            throw new IllegalArgumentException("vcpu_priority: " + vcpuScheduler.planName + " needs 1..99, got " + vcpuPriority);
        }
        if (!rt && vcpuPriority != 0) {
            throw new IllegalArgumentException("vcpu_priority: " + vcpuPriority + " needs vcpu_sched fifo or rr, got "
                    + (vcpuScheduler == null ? "none (as it is)" : vcpuScheduler.planName));
        }
        if (emulatorPriority < 0 || emulatorPriority > 99) {
            throw new IllegalArgumentException("emulator_priority: expected 0..99 (0 = as it is), got " + emulatorPriority);
        }
        if (!local(uri) && (vcpuScheduler != null || emulatorPriority > 0)) {
            throw new IllegalArgumentException("vcpu_sched and emulator_priority are set through the QEMU threads, which vmlat reaches"
                    + " only on this machine; a remote libvirt (" + uri + ") takes vcpu_pin and emulator_pin only");
        }
    }

    /** Whether libvirt runs on this machine (no host in the URI), so its QEMU threads are reachable here. */
    public static boolean local(String uri) {
        try {
            String host = URI.create(uri).getHost();
            return host == null || host.isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean local() {
        return local(uri);
    }

    /** Whether a scenario changes anything at all. */
    public boolean tunes() {
        return !vcpuPin.isEmpty() || vcpuScheduler != null || !emulatorPin.isEmpty() || emulatorPriority > 0;
    }

    /** The thread dimensions override the target's own values. */
    @Override
    public LibvirtSettings forScenario(Map<String, String> d) {
        VcpuScheduler sched = d.containsKey("vcpu_sched") ? scheduler(d.get("vcpu_sched")) : vcpuScheduler;
        int prio = d.containsKey("vcpu_priority") ? Integer.parseInt(d.get("vcpu_priority")) : vcpuPriority;
        if (d.containsKey("vcpu_priority") && !d.containsKey("vcpu_sched") && sched == null && prio > 0) sched = VcpuScheduler.FIFO;
        if (sched == null || !sched.realtime()) prio = 0; // a priority belongs to fifo and rr only: the other scenarios ignore it
        if (sched != null && sched.realtime() && prio == 0) {
            throw new IllegalArgumentException("vcpu_sched " + sched.planName + " needs vcpu_priority 1..99, on the target or as a dimension");
        }
        return new LibvirtSettings(uri, domain, probe, guestSsh, cyclictest,
                d.containsKey("vcpu_pin") ? cpus(d.get("vcpu_pin")) : vcpuPin, sched, prio,
                d.containsKey("emulator_pin") ? cpus(d.get("emulator_pin")) : emulatorPin,
                d.containsKey("emulator_priority") ? Integer.parseInt(d.get("emulator_priority")) : emulatorPriority);
    }

    @Override
    public String matrixProblem(String dimension, List<String> values) {
        if (!local() && (dimension.equals("vcpu_sched") || dimension.equals("vcpu_priority") || dimension.equals("emulator_priority"))) {
            return "is on a remote libvirt (" + uri + "): vmlat sets priorities through the QEMU threads on this machine only";
        }
        return null;
    }

    /** "" or "asis" leaves the domain's own scheduler; else one of {@link VcpuScheduler}'s names. */
    static VcpuScheduler scheduler(String v) {
        if (v.isEmpty() || v.equals("asis")) return null;
        return VcpuScheduler.byName(v).orElseThrow(() -> new IllegalArgumentException(
                "expected asis or one of " + VcpuScheduler.planNames() + ", got \"" + v + "\""));
    }

    /** "" or "asis" leaves the pinning as it is; else a CPU list. */
    static List<Integer> cpus(String v) {
        return v.isEmpty() || v.equals("asis") ? List.of() : CpuList.parse(v);
    }
}
