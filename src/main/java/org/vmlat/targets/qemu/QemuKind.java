package org.vmlat.targets.qemu;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.vmlat.os.CpuList;
import org.vmlat.os.Executables;
import org.vmlat.targets.MatrixDimension;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetTable;
import org.vmlat.targets.TargetUnavailableException;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.emulated.EmulatedMachine;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.kvm.emulated.EmulatedKvm;
import org.vmlat.targets.kvm.emulated.KvmHostImageBuilder;
import org.vmlat.targets.ssh.SshKind;
import org.vmlat.targets.ssh.SshMachine;
import org.vmlat.targets.ssh.SshSettings;
import org.vmlat.targets.ssh.SshTargetSettings;
import org.vmlat.targets.reservation.VcpuReservation;

/**
 * {@code kind = "qemu"}: a guest vmlat boots under QEMU, once for the consecutive scenarios that can
 * share it (boot = "once") or for each scenario, on this machine or, with
 * {@code host}, on the machine of an ssh target of the plan (or the emulated KVM host) through
 * that machine's one connection (docs/guests.md, docs/targets.md).
 */
public final class QemuKind implements TargetKind<QemuSettings> {
    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public Set<String> keys() {
        return Set.of("kernel", "vcpus", "memory", "accel", "pin", "vcpu_priority", "qemu_priority", "qemu_args", "boot_timeout", "host", "boot");
    }

    @Override
    public Class<QemuSettings> settingsType() {
        return QemuSettings.class;
    }

    @Override
    public QemuSettings read(TargetTable t) {
        String kernel = t.string("kernel", null);
        if (kernel == null) throw t.error("kernel", "missing (nrt, rt or a path to a kernel)");
        try {
            GuestImageBuilder.checkKernel(kernel);
        } catch (IllegalArgumentException e) {
            throw t.error("kernel", e.getMessage());
        }
        int vcpus = t.integerIn("vcpus", 1, 1, 64, "");
        int memory = t.integerIn("memory", 256, 64, 65536, " (MiB)");
        String accel = t.string("accel", "auto");
        if (!Set.of("auto", "kvm", "tcg").contains(accel)) throw t.error("accel", "expected auto, kvm or tcg, got \"" + accel + "\"");
        List<Integer> pin;
        try {
            pin = CpuList.parse(t.string("pin", ""));
        } catch (IllegalArgumentException e) {
            throw t.error("pin", e.getMessage());
        }
        String host = t.string("host", "");
        // the CPUs of another machine are not known here: its QEMU says when one is not there
        if (host.isEmpty()) for (int c : pin) if (!t.onlineCpus().isEmpty() && !t.onlineCpus().contains(c)) throw t.error("pin", "CPU " + c + " is not online");
        int vp = t.integerIn("vcpu_priority", 0, 0, 99, " (0 = normal)");
        int qp = t.integerIn("qemu_priority", 0, 0, 99, " (0 = normal)");
        List<String> extra = t.strings("qemu_args", "an array of strings");
        long boot = t.durationNs("boot_timeout", 60_000_000_000L);
        QemuSettings.Boot bootMode = QemuSettings.Boot.of(t.string("boot", "once"));
        if (bootMode == null) throw t.error("boot", "expected once or per-scenario, got \"" + t.string("boot", "") + "\"");
        return new QemuSettings(kernel, vcpus, memory, accel, pin, vp, qp, extra, boot, host, bootMode);
    }

    @Override
    public List<MatrixDimension> dimensions() {
        return List.of(new MatrixDimension("kernel", GuestImageBuilder::checkKernel),
                new MatrixDimension(QemuSettings.RESERVATION, v -> VcpuReservation.parse(v, Path.of("")).written()));
    }

    @Override
    public boolean guest() {
        return true;
    }

    /** The guest image holds cyclictest and no Java. */
    @Override
    public Set<String> engines() {
        return Set.of("cyclictest");
    }

    @Override
    public Target create(String name, QemuSettings settings, TargetContext context) {
        if (!settings.host().isEmpty()) {
            if (Executables.which("ssh").isEmpty()) {
                throw new TargetUnavailableException("target \"" + name + "\" boots its guest on another machine over ssh: apt-get install openssh-client");
            }
            SshMachine machine = SshKind.machine(context, hostSsh(name, settings.host(), context));
            return new QemuTarget(name, settings, machine, new GuestImageBuilder(context.cacheDir()), context.warnings(), context.info());
        }
        if (Executables.which("qemu-system-x86_64").isEmpty()) {
            throw new TargetUnavailableException("target \"" + name + "\" needs QEMU: apt-get install qemu-system-x86");
        }
        return new QemuTarget(name, settings, context.loads(), new GuestImageBuilder(context.cacheDir()),
                new AccelCheck(context.cacheDir(), context.stateDir()), context.warnings(), context.info())
                .sharing(context.resources().shared(GuestSlot.class, GuestSlot.class, GuestSlot::new));
    }

    /** How to reach QEMU's host: the ssh target of the plan that {@code host} names, or the emulated KVM host. */
    private static SshSettings hostSsh(String name, String host, TargetContext context) {
        TargetSettings named = context.planTargets().get(host);
        if (named instanceof SshTargetSettings s) return s.ssh();
        if (named != null) throw new TargetUnavailableException("target \"" + name + "\": host = \"" + host + "\" must name an ssh target (QEMU's host)");
        if (host.equals(QemuSettings.EMULATED_KVM)) {
            EmulatedKvm kvm = new EmulatedKvm(EmulatedKvm.defaultStateDir(),
                    new KvmHostImageBuilder(KvmHostImageBuilder.defaultCacheDir(), new GuestImageBuilder(GuestImageBuilder.defaultCacheDir())));
            return kvm.running().map(EmulatedMachine.Running::ssh).orElseThrow(() -> new TargetUnavailableException("target \"" + name
                    + "\" boots its guest on the emulated KVM host (host = \"" + QemuSettings.EMULATED_KVM + "\"), which is not running: start it with `vmlat kvm up`"));
        }
        throw new TargetUnavailableException("target \"" + name + "\": host = \"" + host + "\" names no target of the plan (defined: "
                + String.join(", ", new TreeSet<>(context.planTargets().keySet())) + "; or \"" + QemuSettings.EMULATED_KVM + "\" for vmlat kvm up)");
    }
}
