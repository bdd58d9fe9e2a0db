package org.vmlat.targets;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmlat.targets.libvirt.LibvirtKind;
import org.vmlat.targets.local.LocalKind;
import org.vmlat.targets.qemu.QemuKind;
import org.vmlat.targets.ssh.SshKind;
import org.vmlat.targets.xen.XenKind;

/**
 * The registry of target kinds: the one place that lists them. A new kind is a package with its
 * {@link TargetKind}, its settings and its target, plus one line here.
 */
public final class TargetKinds {
    private static final List<TargetKind<?>> ALL = List.of(
            new LocalKind(), // the first is the default: a target without kind, and a plan without targets
            new QemuKind(),
            new XenKind(),
            new SshKind(),
            new LibvirtKind());

    private TargetKinds() {}

    /** Every kind, in the order messages and the matrix's dimensions follow. */
    public static List<TargetKind<?>> all() {
        return ALL;
    }

    /** The kind of a target that names none: this machine. */
    public static TargetKind<?> defaultKind() {
        return ALL.get(0);
    }

    public static Optional<TargetKind<?>> byName(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    public static List<String> names() {
        return ALL.stream().map(TargetKind::name).toList();
    }

    /** Every dimension some kind understands, each once, in registry order. */
    public static List<String> dimensionNames() {
        List<String> out = new ArrayList<>();
        for (TargetKind<?> k : ALL) {
            for (MatrixDimension d : k.dimensions()) if (!out.contains(d.name())) out.add(d.name());
        }
        return out;
    }
}
