package org.vmlat.cli;

import java.util.function.Consumer;
import org.vmlat.lab.Plan;
import org.vmlat.load.LoadLauncher;
import org.vmlat.target.LocalTarget;
import org.vmlat.target.Target;

/** Builds the target a plan names. */
final class Targets {
    private Targets() {}

    static Target create(Plan.TargetSpec spec, LoadLauncher loads, Consumer<String> warnings, Consumer<String> info) {
        return switch (spec.kind()) {
            case "local" -> new LocalTarget(spec.name(), loads);
            case "qemu" -> {
                if (DoctorCommand.which("qemu-system-x86_64").isEmpty()) {
                    throw new VmlatException(ExitCodes.ENVIRONMENT, "target \"" + spec.name() + "\" needs QEMU: apt-get install qemu-system-x86");
                }
                java.nio.file.Path cache = org.vmlat.target.qemu.GuestImageBuilder.defaultCacheDir();
                yield new org.vmlat.target.qemu.QemuTarget(spec.name(), spec.qemu(), loads, new org.vmlat.target.qemu.GuestImageBuilder(cache),
                        new org.vmlat.target.qemu.AccelCheck(cache, loads.stateDir()), warnings, info);
            }
            default -> throw new VmlatException(ExitCodes.USAGE, "target \"" + spec.name() + "\": kind \"" + spec.kind() + "\" is not supported");
        };
    }
}
