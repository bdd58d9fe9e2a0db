package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vmlat.latency.Durations;
import org.vmlat.os.Executables;
import org.vmlat.targets.xen.emulated.Dom0ImageBuilder;
import org.vmlat.targets.xen.emulated.EmulatedXen;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "xen", mixinStandardHelpOptions = true, header = "Boot a real Xen under QEMU emulation for xen targets, on machines without one.",
        description = {"`vmlat xen up` boots Debian's Xen 4.17 with a Dom0 (xl toolstack, sshd, qemu-system-xen) under QEMU full",
            "emulation and forwards Dom0's SSH port to 127.0.0.1. Plan targets with kind = \"xen\" and dom0 = \"emulated\" use it",
            "exactly as they use a real Dom0. Its figures measure emulation and are marked EMULATED. See docs/xen.md."},
        subcommands = {XenCommand.Up.class, XenCommand.Down.class, XenCommand.Status.class})
public final class XenCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static EmulatedXen machine() {
        if (Executables.which("qemu-system-x86_64").isEmpty()) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, "the emulated Xen needs QEMU: apt-get install qemu-system-x86");
        }
        if (Executables.which("ssh").isEmpty()) throw new VmlatException(ExitCodes.ENVIRONMENT, "xen targets need ssh: apt-get install openssh-client");
        return new EmulatedXen(EmulatedXen.defaultStateDir(), new Dom0ImageBuilder(Dom0ImageBuilder.defaultCacheDir()));
    }

    static void describe(PrintWriter out, EmulatedXen.Machine m) {
        long age = (System.currentTimeMillis() - m.startedMs()) / 1000;
        out.printf("Emulated Xen is up: %s, Dom0 %s, QEMU full emulation (TCG), pid %d, up %d s, ends by itself in %d s.%n", m.xenPackage(),
                m.kernelPackage(), m.pid(), age, Math.max(0, m.lifetimeS() - age));
        out.printf("  Dom0:   ssh -p %d -i %s -o UserKnownHostsFile=%s root@127.0.0.1%n", m.port(), m.identity(), m.knownHosts());
        out.println("  Plans:  [[target]] kind = \"xen\", dom0 = \"emulated\"   (examples/xen-matrix.toml)");
        out.println("  Stop:   vmlat xen down");
    }

    @Command(name = "up", mixinStandardHelpOptions = true, header = "Build (first time) and boot the emulated Xen; return when Dom0 answers over SSH.",
            footer = ExitCodes.FOOTER)
    static final class Up implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--port", paramLabel = "PORT", description = "Dom0's SSH port on 127.0.0.1 (default: a free one)")
        int port;

        @Option(names = "--memory", paramLabel = "MIB", defaultValue = "2048", description = "RAM of the emulated machine; Dom0 gets half, at most 768 MiB (default: ${DEFAULT-VALUE})")
        int memory;

        @Option(names = "--cpus", paramLabel = "N", defaultValue = "2", description = "physical CPUs of the emulated Xen host; Dom0 runs on CPU 0 (default: ${DEFAULT-VALUE})")
        int cpus;

        @Option(names = "--lifetime", paramLabel = "DURATION", defaultValue = "2h", description = "the machine ends by itself after this long (default: ${DEFAULT-VALUE})")
        String lifetime;

        @Option(names = "--boot-timeout", paramLabel = "DURATION", defaultValue = "300s", description = "kill it if Dom0 is not up by then (default: ${DEFAULT-VALUE})")
        String bootTimeout;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (cpus < 2 || cpus > 8) throw new VmlatException(ExitCodes.USAGE, "--cpus: expected 2..8 (Dom0 takes CPU 0, guests the others), got " + cpus);
            if (memory < 1024) throw new VmlatException(ExitCodes.USAGE, "--memory: at least 1024 MiB (Dom0 512 MiB and a guest), got " + memory);
            long life = seconds("--lifetime", lifetime), boot = seconds("--boot-timeout", bootTimeout);
            EmulatedXen x = machine();
            Optional<EmulatedXen.Machine> running = x.running();
            if (running.isPresent()) {
                out.println("vmlat: already running");
                describe(out, running.get());
                out.flush();
                return ExitCodes.OK;
            }
            long t0 = System.currentTimeMillis();
            EmulatedXen.Machine m = x.up(port, memory, cpus, life, boot * 1000, msg -> {
                out.println("vmlat: " + msg);
                out.flush();
            });
            out.printf("vmlat: ready in %.0f s%n", (System.currentTimeMillis() - t0) / 1000.0);
            describe(out, m);
            out.flush();
            return ExitCodes.OK;
        }

        private static long seconds(String option, String v) {
            try {
                long s = Durations.parseNs(v, Durations.Unit.S) / 1_000_000_000L;
                if (s < 1) throw new IllegalArgumentException("must be at least 1 s");
                return s;
            } catch (IllegalArgumentException e) {
                throw new VmlatException(ExitCodes.USAGE, option + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, header = "Stop the emulated Xen (its guests and loads end with it).", footer = ExitCodes.FOOTER)
    static final class Down implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println(machine().down() ? "vmlat: emulated Xen stopped" : "vmlat: no emulated Xen was running");
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Whether the emulated Xen runs, and how to reach it (exit 1 if not running).",
            footer = ExitCodes.FOOTER)
    static final class Status implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<EmulatedXen.Machine> m = machine().running();
            if (m.isEmpty()) {
                out.println("Emulated Xen is not running (vmlat xen up starts it).");
                out.flush();
                return ExitCodes.ERROR;
            }
            describe(out, m.get());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
