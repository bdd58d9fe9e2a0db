package org.vmlat.cli;

import java.util.function.Consumer;
import org.vmlat.lab.Plan;
import org.vmlat.load.LoadLauncher;
import org.vmlat.targets.LocalTarget;
import org.vmlat.targets.Target;

/** Builds the target a plan names. */
final class Targets {
    private Targets() {}

    /**
     * @param dom0s the Dom0 connections of this run, shared by the xen targets (one per Dom0
     *              whatever the scenario's mode or kernel); the caller closes them
     */
    static Target create(Plan.TargetSpec spec, LoadLauncher loads, java.util.Map<org.vmlat.targets.ssh.SshSettings, org.vmlat.targets.xen.Dom0> dom0s,
                         Consumer<String> warnings, Consumer<String> info) {
        return switch (spec.kind()) {
            case "local" -> new LocalTarget(spec.name(), loads);
            case "qemu" -> {
                if (DoctorCommand.which("qemu-system-x86_64").isEmpty()) {
                    throw new VmlatException(ExitCodes.ENVIRONMENT, "target \"" + spec.name() + "\" needs QEMU: apt-get install qemu-system-x86");
                }
                java.nio.file.Path cache = org.vmlat.targets.image.GuestImageBuilder.defaultCacheDir();
                yield new org.vmlat.targets.qemu.QemuTarget(spec.name(), spec.qemu(), loads, new org.vmlat.targets.image.GuestImageBuilder(cache),
                        new org.vmlat.targets.qemu.AccelCheck(cache, loads.stateDir()), warnings, info);
            }
            case "xen" -> {
                if (DoctorCommand.which("ssh").isEmpty()) {
                    throw new VmlatException(ExitCodes.ENVIRONMENT, "target \"" + spec.name() + "\" reaches Dom0 with ssh: apt-get install openssh-client");
                }
                org.vmlat.targets.ssh.SshSettings ssh = spec.xen().ssh();
                if (spec.xen().emulated()) {
                    ssh = XenCommand.machine().running().map(org.vmlat.targets.xen.emulated.EmulatedXen.Machine::ssh).orElseThrow(() -> new VmlatException(
                            ExitCodes.ENVIRONMENT, "target \"" + spec.name() + "\" uses the emulated Xen (dom0 = \"emulated\"), which is not running: start it with `vmlat xen up`"));
                }
                org.vmlat.targets.xen.Dom0 dom0 = dom0s.computeIfAbsent(ssh, s -> new org.vmlat.targets.xen.Dom0(new org.vmlat.targets.ssh.SshSession(s)));
                yield new org.vmlat.targets.xen.XenTarget(spec.name(), spec.xen(), dom0,
                        new org.vmlat.targets.image.GuestImageBuilder(org.vmlat.targets.image.GuestImageBuilder.defaultCacheDir()),
                        loads.stateDir().resolveSibling("guest-consoles"), warnings, info);
            }
            default -> throw new VmlatException(ExitCodes.USAGE, "target \"" + spec.name() + "\": kind \"" + spec.kind() + "\" is not supported");
        };
    }
}
