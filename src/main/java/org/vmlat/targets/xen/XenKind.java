package org.vmlat.targets.xen;

import java.nio.file.Path;
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
import org.vmlat.targets.image.GuestCmdline;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.ssh.SshSession;
import org.vmlat.targets.ssh.SshSettings;
import org.vmlat.targets.xen.emulated.Dom0ImageBuilder;
import org.vmlat.targets.xen.emulated.EmulatedXen;

/**
 * {@code kind = "xen"}: a guest created with xl in a Dom0 reached over SSH, or in the emulated Xen
 * of {@code vmlat xen up} (docs/xen.md). The xen targets of a run share one connection per Dom0,
 * which the run closes.
 */
public final class XenKind implements TargetKind<XenSettings> {
    private static final List<String> CONNECTION = List.of("host", "port", "user", "identity", "known_hosts", "check_host_key");

    @Override
    public String name() {
        return "xen";
    }

    @Override
    public Set<String> keys() {
        return Set.of("kernel", "vcpus", "memory", "pin", "boot_timeout", "dom0", "host", "port", "user", "identity", "known_hosts",
                "check_host_key", "mode", "dm_priority", "scheduler", "cpuid", "xl_extra", "boot");
    }

    @Override
    public Class<XenSettings> settingsType() {
        return XenSettings.class;
    }

    @Override
    public XenSettings read(TargetTable t) {
        String dom0 = t.string("dom0", "");
        SshSettings ssh = null;
        if (dom0.equals("emulated")) {
            for (String k : CONNECTION) {
                if (t.has(k)) throw t.error(k, "dom0 = \"emulated\" is reached as vmlat xen up set it up; leave " + k + " out");
            }
        } else if (!dom0.isEmpty()) {
            throw t.error("dom0", "expected \"emulated\" (the Xen of vmlat xen up) or nothing (then host = ... names the Dom0)");
        } else {
            String host = t.string("host", null);
            if (host == null) throw t.error("host", "missing: the Dom0 to reach over SSH (or dom0 = \"emulated\")");
            int port = t.integerIn("port", 22, 1, 65535, "");
            String user = t.string("user", "root");
            String id = t.string("identity", null);
            String kh = t.string("known_hosts", null);
            boolean check = t.bool("check_host_key", true);
            ssh = new SshSettings(host, port, user, id == null ? null : Path.of(home(id)), kh == null ? null : Path.of(home(kh)), check);
        }
        String mode = t.string("mode", "pv");
        if (!XenSettings.MODES.contains(mode)) throw t.error("mode", "expected pv, pvh or hvm, got \"" + mode + "\"");
        String kernel = t.string("kernel", "nrt");
        try {
            GuestImageBuilder.checkKernel(kernel);
        } catch (IllegalArgumentException e) {
            throw t.error("kernel", e.getMessage());
        }
        int vcpus = t.integerIn("vcpus", 1, 1, 64, "");
        int memory = t.integerIn("memory", 256, 64, 65536, " (MiB)");
        List<Integer> pin;
        try {
            pin = CpuList.parse(t.string("pin", ""));
        } catch (IllegalArgumentException e) {
            throw t.error("pin", e.getMessage());
        }
        int dm = t.integerIn("dm_priority", 0, 0, 99, " (0 = leave the device model as it is)");
        String sched = XenSettings.schedulerValue(t.string("scheduler", ""));
        if (!sched.isEmpty() && !XenSettings.SCHEDULERS.contains(sched)) {
            throw t.error("scheduler", "expected \"\" (Pool-0 as it is) or one of " + XenSettings.SCHEDULERS);
        }
        if (!sched.isEmpty() && pin.isEmpty()) throw t.error("scheduler", "needs pin: the CPUs the cpupool takes from Pool-0");
        String cpuid = t.string("cpuid", "");
        List<String> extra = t.strings("xl_extra", "an array of xl configuration lines, e.g. [\"cpu_weight = 512\"]");
        long boot = t.durationNs("boot_timeout", 180_000_000_000L);
        String bootMode = t.string("boot", "once");
        if (!bootMode.equals("once") && !bootMode.equals("per-scenario")) throw t.error("boot", "expected once or per-scenario, got \"" + bootMode + "\"");
        try {
            return new XenSettings(ssh, dom0.equals("emulated"), mode, kernel, vcpus, memory, pin, dm, sched, cpuid, extra, boot, "",
                    bootMode.equals("once"));
        } catch (IllegalArgumentException e) {
            throw t.error(null, e.getMessage());
        }
    }

    private static String home(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    @Override
    public List<MatrixDimension> dimensions() {
        return List.of(new MatrixDimension("kernel", GuestImageBuilder::checkKernel),
                new MatrixDimension("mode", v -> {
                    if (!XenSettings.MODES.contains(v)) throw new IllegalArgumentException("expected pv, pvh or hvm, got \"" + v + "\"");
                    return v;
                }),
                MatrixDimension.range("dm_priority", 0, 99, " (0 = leave the device model as it is)"),
                new MatrixDimension("scheduler", v -> {
                    if (!v.equals("pool0") && !XenSettings.SCHEDULERS.contains(v)) {
                        throw new IllegalArgumentException("expected pool0 (Pool-0 as it is) or one of " + XenSettings.SCHEDULERS + ", got \"" + v + "\"");
                    }
                    return v;
                }),
                GuestCmdline.dimension());
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
    public Target create(String name, XenSettings settings, TargetContext context) {
        if (Executables.which("ssh").isEmpty()) {
            throw new TargetUnavailableException("target \"" + name + "\" reaches Dom0 with ssh: apt-get install openssh-client");
        }
        SshSettings ssh = settings.emulated() ? emulatedDom0(name) : settings.ssh();
        Dom0 dom0 = context.resources().shared(new Dom0Key(ssh), Dom0.class, () -> new Dom0(new SshSession(ssh)));
        return new XenTarget(name, settings, dom0, new GuestImageBuilder(context.cacheDir()), context.stateDir().resolveSibling("guest-consoles"),
                context.warnings(), context.info());
    }

    /** How to reach the Dom0 of the emulated Xen that {@code vmlat xen up} started. */
    private static SshSettings emulatedDom0(String target) {
        if (Executables.which("qemu-system-x86_64").isEmpty()) {
            throw new TargetUnavailableException("the emulated Xen needs QEMU: apt-get install qemu-system-x86");
        }
        EmulatedXen xen = new EmulatedXen(EmulatedXen.defaultStateDir(), new Dom0ImageBuilder(Dom0ImageBuilder.defaultCacheDir()));
        return xen.running().map(EmulatedXen.Machine::ssh).orElseThrow(() -> new TargetUnavailableException("target \"" + target
                + "\" uses the emulated Xen (dom0 = \"emulated\"), which is not running: start it with `vmlat xen up`"));
    }

    /** One connection per Dom0 for every xen target of a run. */
    private record Dom0Key(SshSettings ssh) {
        @Override
        public String toString() {
            return "the SSH connection to Dom0 " + ssh.where();
        }
    }
}
