package org.vmlat.targets.kvm.emulated;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.emulated.EmulatedMachine;
import org.vmlat.targets.ssh.SshSession;

/**
 * A Linux host with real KVM booted under QEMU full emulation ({@code vmlat kvm up}): QEMU's
 * {@code -cpu max,-smap} exposes AMD SVM with nested paging, so the emulated host loads kvm_amd
 * and its own QEMU runs guests with {@code -accel kvm}. The latencies are emulation's; the KVM code
 * paths, QEMU's KVM mode and everything vmlat drives there are real. Reached over SSH on
 * 127.0.0.1; its lifetime and state file are an {@link EmulatedMachine}'s.
 */
public final class EmulatedKvm {
    /** What /etc/vmlat-emulated says on the host: whoever measures there marks the figures EMULATED. */
    public static final String EMULATION = "QEMU full emulation (TCG) with nested SVM, booted by vmlat kvm up (its KVM guests included)";

    /** Why there is no PREEMPT_RT emulated host. */
    public static final String REALTIME_HOST_REFUSED = "an emulated KVM host cannot run a PREEMPT_RT kernel: kvm_amd refuses to load there "
            + "(\"RT requires X86_FEATURE_CONSTANT_TSC\"), and QEMU's emulation never exposes the invariant TSC (it drops +invtsc). "
            + "vmlat does not patch binaries to get past this: measure an RT KVM host on real hardware; the emulated host runs "
            + "NRT and RT guests";

    private final EmulatedMachine machine;
    private final KvmHostImageBuilder builder;

    public EmulatedKvm(Path stateDir, KvmHostImageBuilder builder) {
        this.machine = new EmulatedMachine(stateDir, "the KVM host", "VMLAT-KVM-READY", "VMLAT-KVM-ERROR");
        this.builder = builder;
    }

    /** $VMLAT_STATE_DIR/kvm, else $XDG_STATE_HOME/vmlat/kvm, else ~/.local/state/vmlat/kvm. */
    public static Path defaultStateDir() {
        return EmulatedMachine.defaultStateDir("kvm");
    }

    public Path stateDir() {
        return machine.stateDir();
    }

    /** The running host, if any; a state file whose machine is gone is removed. */
    public Optional<EmulatedMachine.Running> running() {
        return machine.running();
    }

    /**
     * Boots the emulated KVM host and returns once it answers over SSH with kvm_amd loaded; a host
     * without it is stopped again, with what its kernel said.
     *
     * @param port 0 = a free port on 127.0.0.1
     */
    public EmulatedMachine.Running up(int port, int memoryMb, int cpus, long lifetimeS, long bootTimeoutMs, Consumer<String> progress) {
        Optional<EmulatedMachine.Running> already = running();
        if (already.isPresent()) return already.get();
        KvmHostImageBuilder.HostImage img = builder.build(progress);
        progress.accept("booting the KVM host under QEMU full emulation (TCG, nested SVM)");
        EmulatedMachine.Running m = machine.start(img.keys(), port, p -> command(img, p, memoryMb, cpus), lifetimeS, bootTimeoutMs,
                Map.of("kernel_package", img.kernelPackage(), "nrt_guest", img.nrtGuestPackage(), "rt_guest", img.rtGuestPackage()), progress);
        try (SshSession ssh = new SshSession(m.ssh())) {
            ssh.connect();
            SshSession.Result r = ssh.run("grep -q '^kvm_amd ' /proc/modules && test -c /dev/kvm", null, 60_000);
            if (!r.ok()) {
                String dmesg = ssh.run("dmesg | grep -i -E 'kvm|svm' | tail -n 5", null, 60_000).out().strip().replace('\n', '|');
                throw new ProbeException("the emulated host booted without KVM (kvm_amd not loaded or no /dev/kvm): " + dmesg);
            }
        } catch (RuntimeException e) {
            machine.down();
            throw e;
        }
        return m;
    }

    /** The outer QEMU: multi-threaded TCG; "max" without SMAP (plain max crashes the kernel) brings SVM with nested paging. */
    static List<String> command(KvmHostImageBuilder.HostImage img, int port, int memoryMb, int cpus) {
        List<String> c = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "tcg,thread=multi", "-cpu", "max,-smap",
                "-smp", Integer.toString(cpus), "-m", Integer.toString(memoryMb), "-nodefaults", "-display", "none", "-no-reboot",
                "-kernel", img.kernel().toString(), "-initrd", img.initrd().toString(), "-append", "console=ttyS0 quiet panic=-1"));
        c.addAll(EmulatedMachine.sshForward(port));
        return c;
    }

    /**
     * The shell command that boots one inner guest from the host's images with real KVM and waits
     * for it: cyclictest runs with {@code cyclictestArgs} and its result (the guest image's protocol,
     * read with GuestOutput) goes to {@code resultFile} on the host through virtio-serial; the
     * console goes to {@code resultFile + ".console"}. The guest powers off when done; {@code timeout}
     * ends it if it never does.
     *
     * @param kernel "nrt" or "rt": which guest image
     */
    public static String innerGuestCommand(String kernel, List<String> cyclictestArgs, String resultFile, long timeoutS) {
        if (!kernel.equals("nrt") && !kernel.equals("rt")) throw new IllegalArgumentException("kernel \"" + kernel + "\" is not nrt or rt");
        String dir = KvmHostImageBuilder.GUESTS + "/" + kernel;
        return "timeout -s KILL " + timeoutS + " qemu-system-x86_64 -accel kvm -cpu host -m 256 -smp 1 -nodefaults -display none -no-reboot"
                + " -kernel " + dir + "/vmlinux -initrd " + dir + "/initrd.gz"
                + " -append 'console=ttyS0 quiet panic=-1 vmlat.args=" + String.join(",", cyclictestArgs) + "'"
                + " -serial file:" + resultFile + ".console"
                + " -device virtio-serial-pci -chardev file,id=vmlatres,path=" + resultFile + " -device virtserialport,chardev=vmlatres,name=vmlat";
    }

    /** Stops the host and removes its state file; false if none was running. */
    public boolean down() {
        return machine.down();
    }
}
