package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vmlat.os.Executables;
import org.vmlat.latency.Durations;
import org.vmlat.targets.emulated.EmulatedMachine;
import org.vmlat.targets.image.GuestImageBuilder;
import org.vmlat.targets.kvm.emulated.EmulatedKvm;
import org.vmlat.targets.kvm.emulated.KvmHostImageBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "kvm", mixinStandardHelpOptions = true, header = "Boot a Linux host with real KVM under QEMU emulation, to try KVM targets here.",
        description = {"`vmlat kvm up` boots Debian's kernel with kvm_amd (nested SVM), sshd, QEMU, stress-ng, hackbench, cyclictest",
            "and vmlat's NRT and RT guest images under QEMU full emulation and forwards its SSH port to 127.0.0.1. Its guests run",
            "with -accel kvm: real KVM code paths, emulated timing, so every figure measured there is marked EMULATED. See docs/kvm.md."},
        subcommands = {KvmCommand.Up.class, KvmCommand.Down.class, KvmCommand.Status.class})
public final class KvmCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static EmulatedKvm machine() {
        if (Executables.which("qemu-system-x86_64").isEmpty()) {
            throw new VmlatException(ExitCodes.ENVIRONMENT, "the emulated KVM host needs QEMU: apt-get install qemu-system-x86");
        }
        if (Executables.which("ssh").isEmpty()) throw new VmlatException(ExitCodes.ENVIRONMENT, "the emulated KVM host needs ssh: apt-get install openssh-client");
        return new EmulatedKvm(EmulatedKvm.defaultStateDir(),
                new KvmHostImageBuilder(KvmHostImageBuilder.defaultCacheDir(), new GuestImageBuilder(GuestImageBuilder.defaultCacheDir())));
    }

    static void describe(PrintWriter out, EmulatedMachine.Running m) {
        long age = (System.currentTimeMillis() - m.startedMs()) / 1000;
        out.printf("Emulated KVM host is up: %s with kvm_amd, QEMU full emulation (TCG), pid %d, up %d s, ends by itself in %d s.%n",
                m.label("kernel_package"), m.pid(), age, Math.max(0, m.lifetimeS() - age));
        out.printf("  SSH:    ssh -p %d -i %s -o UserKnownHostsFile=%s root@127.0.0.1%n", m.port(), m.identity(), m.knownHosts());
        out.printf("  Port:   127.0.0.1:%d   key: %s   known_hosts: %s%n", m.port(), m.identity(), m.knownHosts());
        out.printf("  Guests: %s/{nrt,rt}/{vmlinux,initrd.gz} (%s, %s); run one there with%n", KvmHostImageBuilder.GUESTS, m.label("nrt_guest"),
                m.label("rt_guest"));
        out.println("          " + EmulatedKvm.innerGuestCommand("nrt", List.of("-m", "-p90", "-i1000", "-h10000", "-D5", "-l5000", "-q"), "/tmp/r.txt", 300));
        out.println("  Stop:   vmlat kvm down");
    }

    @Command(name = "up", mixinStandardHelpOptions = true, header = "Build (first time) and boot the emulated KVM host; return when it answers over SSH with kvm_amd loaded.",
            footer = ExitCodes.FOOTER)
    static final class Up implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--port", paramLabel = "PORT", description = "the host's SSH port on 127.0.0.1 (default: a free one)")
        int port;

        @Option(names = "--memory", paramLabel = "MIB", defaultValue = "3072", description = "RAM of the emulated host (default: ${DEFAULT-VALUE})")
        int memory;

        @Option(names = "--cpus", paramLabel = "N", defaultValue = "2", description = "CPUs of the emulated host (default: ${DEFAULT-VALUE})")
        int cpus;

        @Option(names = "--rt", description = "a PREEMPT_RT host kernel: refused, kvm_amd cannot load on one under emulation (exit 4)")
        boolean rt;

        @Option(names = "--lifetime", paramLabel = "DURATION", defaultValue = "2h", description = "the host ends by itself after this long (default: ${DEFAULT-VALUE})")
        String lifetime;

        @Option(names = "--boot-timeout", paramLabel = "DURATION", defaultValue = "600s", description = "kill it if it is not up by then (default: ${DEFAULT-VALUE})")
        String bootTimeout;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (rt) throw new VmlatException(ExitCodes.ENVIRONMENT, EmulatedKvm.REALTIME_HOST_REFUSED);
            if (cpus < 1 || cpus > 8) throw new VmlatException(ExitCodes.USAGE, "--cpus: expected 1..8, got " + cpus);
            if (memory < 1024) throw new VmlatException(ExitCodes.USAGE, "--memory: at least 1024 MiB (the image unpacks into RAM, and a guest), got " + memory);
            long life = seconds("--lifetime", lifetime), boot = seconds("--boot-timeout", bootTimeout);
            EmulatedKvm k = machine();
            Optional<EmulatedMachine.Running> running = k.running();
            if (running.isPresent()) {
                out.println("vmlat: already running");
                describe(out, running.get());
                out.flush();
                return ExitCodes.OK;
            }
            long t0 = System.currentTimeMillis();
            EmulatedMachine.Running m = k.up(port, memory, cpus, life, boot * 1000, msg -> {
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

    @Command(name = "down", mixinStandardHelpOptions = true, header = "Stop the emulated KVM host (its guests and loads end with it).", footer = ExitCodes.FOOTER)
    static final class Down implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println(machine().down() ? "vmlat: emulated KVM host stopped" : "vmlat: no emulated KVM host was running");
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, header = "Whether the emulated KVM host runs, and how to reach it (exit 1 if not running).",
            footer = ExitCodes.FOOTER)
    static final class Status implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<EmulatedMachine.Running> m = machine().running();
            if (m.isEmpty()) {
                out.println("Emulated KVM host is not running (vmlat kvm up starts it).");
                out.flush();
                return ExitCodes.ERROR;
            }
            describe(out, m.get());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
