package org.vmlat.targets.ssh;

import java.nio.file.Path;
import java.util.Set;
import org.vmlat.os.Executables;
import org.vmlat.probe.cyclictest.CyclictestDriver;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.TargetTable;
import org.vmlat.targets.TargetUnavailableException;
import org.vmlat.targets.local.LocalSettings;

/**
 * {@code kind = "ssh"}: a host, or a guest that already runs, reached with the system's OpenSSH
 * client (docs/targets.md). cyclictest runs there through the one cyclictest driver; loads run
 * there, or on the machine of the target {@code load_on} names. Every target of a run on one
 * machine shares one connection, which the run closes.
 */
public final class SshKind implements TargetKind<SshTargetSettings> {
    @Override
    public String name() {
        return "ssh";
    }

    @Override
    public Set<String> keys() {
        return Set.of("host", "port", "user", "identity", "known_hosts", "check_host_key", "cyclictest", "load_on");
    }

    @Override
    public Class<SshTargetSettings> settingsType() {
        return SshTargetSettings.class;
    }

    @Override
    public SshTargetSettings read(TargetTable t) {
        String host = t.string("host", null);
        if (host == null || host.isBlank()) throw t.error("host", "missing: the machine to reach over SSH (a name or address)");
        int port = t.integerIn("port", 22, 1, 65535, "");
        String user = t.string("user", "root");
        String id = t.string("identity", null);
        String kh = t.string("known_hosts", null);
        boolean check = t.bool("check_host_key", true);
        String cyclictest = t.string("cyclictest", "cyclictest");
        if (cyclictest.isBlank()) throw t.error("cyclictest", "expected cyclictest's path or name on that machine, got \"\"");
        String loadOn = t.string("load_on", "");
        try {
            return new SshTargetSettings(new SshSettings(host, port, user, id == null ? null : Path.of(home(id)), kh == null ? null : Path.of(home(kh)), check),
                    cyclictest, loadOn);
        } catch (IllegalArgumentException e) {
            throw t.error(null, e.getMessage());
        }
    }

    private static String home(String path) {
        return path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path;
    }

    /** The probe runs in the machine as it is: no guest vmlat boots, so guest-placed loads do not apply. */
    @Override
    public boolean guest() {
        return false;
    }

    /** cyclictest through the one driver; vmlat's own probe would need Java and vmlat there, which is not offered. */
    @Override
    public Set<String> engines() {
        return Set.of(CyclictestDriver.ENGINE);
    }

    @Override
    public Target create(String name, SshTargetSettings settings, TargetContext context) {
        if (Executables.which("ssh").isEmpty()) {
            throw new TargetUnavailableException("target \"" + name + "\" is reached with ssh: apt-get install openssh-client");
        }
        SshMachine machine = machine(context, settings.ssh());
        SshTarget.LoadPlace loads;
        if (settings.loadOn().isEmpty()) {
            loads = SshTarget.LoadPlace.on(machine);
        } else {
            TargetSettings other = context.planTargets().get(settings.loadOn());
            if (other == null) {
                throw new TargetUnavailableException("target \"" + name + "\": load_on = \"" + settings.loadOn() + "\" names no target of the plan"
                        + (context.planTargets().isEmpty() ? "" : " (defined: " + String.join(", ", context.planTargets().keySet()) + ")"));
            }
            if (other instanceof SshTargetSettings s) loads = SshTarget.LoadPlace.on(machine(context, s.ssh()));
            else if (other instanceof LocalSettings) loads = SshTarget.LoadPlace.here(context.loads());
            else {
                throw new TargetUnavailableException("target \"" + name + "\": load_on = \"" + settings.loadOn()
                        + "\" must name an ssh target (a guest's host) or a local one (this machine)");
            }
        }
        return new SshTarget(name, settings, machine, loads, context.warnings(), context.info());
    }

    /** One connection per machine for every target of the run that goes there (remote QEMU guests' hosts included). */
    public static SshMachine machine(TargetContext context, SshSettings ssh) {
        return context.resources().shared(new MachineKey(ssh), SshMachine.class, () -> new SshMachine(new SshSession(ssh)));
    }

    private record MachineKey(SshSettings ssh) {
        @Override
        public String toString() {
            return "the SSH connection to " + ssh.where();
        }
    }
}
