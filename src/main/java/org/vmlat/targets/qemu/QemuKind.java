package org.vmlat.targets.qemu;

import java.util.List;
import java.util.Set;
import org.vmlat.os.CpuList;
import org.vmlat.os.Executables;
import org.vmlat.targets.MatrixDimension;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetTable;
import org.vmlat.targets.TargetUnavailableException;
import org.vmlat.targets.image.GuestImageBuilder;

/** {@code kind = "qemu"}: a guest vmlat boots under QEMU on this machine for each scenario (docs/guests.md). */
public final class QemuKind implements TargetKind<QemuSettings> {
    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public Set<String> keys() {
        return Set.of("kernel", "vcpus", "memory", "accel", "pin", "vcpu_priority", "qemu_priority", "qemu_args", "boot_timeout");
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
        for (int c : pin) if (!t.onlineCpus().isEmpty() && !t.onlineCpus().contains(c)) throw t.error("pin", "CPU " + c + " is not online");
        int vp = t.integerIn("vcpu_priority", 0, 0, 99, " (0 = normal)");
        int qp = t.integerIn("qemu_priority", 0, 0, 99, " (0 = normal)");
        List<String> extra = t.strings("qemu_args", "an array of strings");
        long boot = t.durationNs("boot_timeout", 60_000_000_000L);
        return new QemuSettings(kernel, vcpus, memory, accel, pin, vp, qp, extra, boot);
    }

    @Override
    public List<MatrixDimension> dimensions() {
        return List.of(new MatrixDimension("kernel", GuestImageBuilder::checkKernel));
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
        if (Executables.which("qemu-system-x86_64").isEmpty()) {
            throw new TargetUnavailableException("target \"" + name + "\" needs QEMU: apt-get install qemu-system-x86");
        }
        return new QemuTarget(name, settings, context.loads(), new GuestImageBuilder(context.cacheDir()),
                new AccelCheck(context.cacheDir(), context.stateDir()), context.warnings(), context.info());
    }
}
