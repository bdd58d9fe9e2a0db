package org.vmlat.targets.xen.emulated;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmlat.targets.emulated.EmulatedMachine;
import org.vmlat.targets.ssh.SshSettings;

/**
 * A real Xen booted under QEMU full emulation on a machine without one ({@code vmlat xen up}):
 * Debian's hypervisor, a Debian Dom0 with the xl toolstack and sshd, Dom0's SSH port forwarded
 * to 127.0.0.1. Its lifetime and state file are an {@link EmulatedMachine}'s; xen targets with
 * {@code dom0 = "emulated"} read the state file.
 */
public final class EmulatedXen {
    /** A running emulated Xen. */
    public record Machine(long pid, long startTicks, int port, Path identity, Path knownHosts, Path console, long startedMs, long lifetimeS,
                          String xenPackage, String kernelPackage) {
        public SshSettings ssh() {
            return new SshSettings("127.0.0.1", port, "root", identity, knownHosts, true);
        }

        static Machine of(EmulatedMachine.Running r) {
            return new Machine(r.pid(), r.startTicks(), r.port(), r.identity(), r.knownHosts(), r.console(), r.startedMs(), r.lifetimeS(),
                    r.label("xen_package"), r.label("kernel_package"));
        }
    }

    private final EmulatedMachine machine;
    private final Dom0ImageBuilder builder;

    public EmulatedXen(Path stateDir, Dom0ImageBuilder builder) {
        this.machine = new EmulatedMachine(stateDir, "Xen's Dom0", "VMLAT-DOM0-READY", "VMLAT-DOM0-ERROR");
        this.builder = builder;
    }

    /** vmlat's state folder {@code xen} (see {@link VmlatDirs#state}). */
    public static Path defaultStateDir() {
        return EmulatedMachine.defaultStateDir("xen");
    }

    /** The running machine, if any; a state file whose machine is gone is removed. */
    public Optional<Machine> running() {
        return machine.running().map(Machine::of);
    }

    /**
     * Boots the emulated Xen and waits until Dom0 answers over SSH.
     *
     * @param port 0 = a free port on 127.0.0.1
     */
    public Machine up(int port, int memoryMb, int cpus, long lifetimeS, long bootTimeoutMs, Consumer<String> progress) {
        Optional<Machine> already = running();
        if (already.isPresent()) return already.get();
        Dom0ImageBuilder.Dom0Image img = builder.build(progress);
        progress.accept("booting Xen under QEMU full emulation (TCG), Dom0 SSH on 127.0.0.1" + (port == 0 ? "" : ":" + port));
        return Machine.of(machine.start(img.keys(), port, p -> command(img, p, memoryMb, cpus), lifetimeS,
                bootTimeoutMs, Map.of("xen_package", img.xenPackage(), "kernel_package", img.kernelPackage()), progress));
    }

    /** The QEMU command line: the hypervisor as a multiboot kernel, Dom0's kernel and initramfs as its modules. */
    static List<String> command(Dom0ImageBuilder.Dom0Image img, int port, int memoryMb, int cpus) {
        int dom0Mb = Math.min(768, memoryMb / 2);
        List<String> c = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg",
                // plain "max" crashes Dom0 (SMAP), and SVM with nested paging is what makes PVH and HVM guests possible
                "-cpu", "max,-smap", "-smp", Integer.toString(cpus), "-m", Integer.toString(memoryMb),
                "-nodefaults", "-display", "none", "-no-reboot",
                "-kernel", img.hypervisor().toString(),
                "-append", "console=com1 com1=115200 dom0_mem=" + dom0Mb + "M dom0_max_vcpus=1 dom0_vcpus_pin",
                // multiboot modules: commas separate them, so commas inside one are doubled
                "-initrd", img.kernel().toString().replace(",", ",,") + " console=hvc0 earlyprintk=xen quiet," + img.initrd().toString().replace(",", ",,")));
        c.addAll(EmulatedMachine.sshForward(port));
        return c;
    }

    /** Stops the machine; false if none was running. */
    public boolean down() {
        return machine.down();
    }
}
