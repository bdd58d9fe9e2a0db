package org.vmlat.targets.xen.emulated;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import org.vmlat.os.ProcessGroups;
import org.vmlat.os.VmlatDirs;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.ssh.SshException;
import org.vmlat.targets.ssh.SshSession;
import org.vmlat.targets.ssh.SshSettings;

/**
 * A real Xen booted under QEMU full emulation on a machine without one ({@code vmlat xen up}):
 * Debian's hypervisor, a Debian Dom0 with the xl toolstack and sshd, Dom0's SSH port forwarded
 * to 127.0.0.1. It runs in its own session under {@code timeout --signal=KILL LIFETIME}, so it
 * ends at {@code vmlat xen down} or, forgotten, when its lifetime is over; a state file says how
 * to reach it, and xen targets with {@code dom0 = "emulated"} read it.
 */
public final class EmulatedXen {
    /** A running emulated Xen. */
    public record Machine(long pid, long startTicks, int port, Path identity, Path knownHosts, Path console, long startedMs, long lifetimeS,
                          String xenPackage, String kernelPackage) {
        public SshSettings ssh() {
            return new SshSettings("127.0.0.1", port, "root", identity, knownHosts, true);
        }
    }

    private final Path stateDir;
    private final Dom0ImageBuilder builder;

    public EmulatedXen(Path stateDir, Dom0ImageBuilder builder) {
        this.stateDir = stateDir;
        this.builder = builder;
    }

    /** vmlat's state folder {@code xen} (see {@link VmlatDirs#state}). */
    public static Path defaultStateDir() {
        return VmlatDirs.state("xen");
    }

    private Path stateFile() {
        return stateDir.resolve("machine.properties");
    }

    /** The running machine, if any; a state file whose machine is gone is removed. */
    public Optional<Machine> running() {
        Path f = stateFile();
        if (!Files.exists(f)) return Optional.empty();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        Machine m = new Machine(Long.parseLong(p.getProperty("pid")), Long.parseLong(p.getProperty("start_ticks")), Integer.parseInt(p.getProperty("port")),
                Path.of(p.getProperty("identity")), Path.of(p.getProperty("known_hosts")), Path.of(p.getProperty("console")),
                Long.parseLong(p.getProperty("started_ms")), Long.parseLong(p.getProperty("lifetime_s")), p.getProperty("xen_package"),
                p.getProperty("kernel_package"));
        if (ProcessGroups.startTime(m.pid()) != m.startTicks()) {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                // stale either way
            }
            return Optional.empty();
        }
        return Optional.of(m);
    }

    /**
     * Boots the emulated Xen and waits until Dom0 answers over SSH.
     *
     * @param port 0 = a free port on 127.0.0.1
     */
    public Machine up(int port, int memoryMb, int cpus, long lifetimeS, long bootTimeoutMs, Consumer<String> progress) {
        Optional<Machine> already = running();
        if (already.isPresent()) return already.get();
        Dom0ImageBuilder.Dom0Image img = builder.build(progress);
        try {
            Files.createDirectories(stateDir);
            int p = port != 0 ? port : freePort();
            Path console = stateDir.resolve("console.log");
            Path knownHosts = stateDir.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + p + " " + Files.readString(img.knownHostKey()).strip() + "\n");
            Files.deleteIfExists(console);
            List<String> cmd = command(img, p, memoryMb, cpus, lifetimeS, console);
            Files.writeString(stateDir.resolve("qemu.command"), String.join(" ", cmd) + "\n");
            progress.accept("booting Xen under QEMU full emulation (TCG), Dom0 SSH on 127.0.0.1:" + p);
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stateDir.resolve("qemu.out").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            long pid = proc.pid();
            Machine m = new Machine(pid, ProcessGroups.startTime(pid), p, img.identity(), knownHosts, console, System.currentTimeMillis(), lifetimeS,
                    img.xenPackage(), img.kernelPackage());
            save(m);
            // a Ctrl-C while booting must not leave the machine behind
            Thread hook = new Thread(() -> kill(m));
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                waitReady(m, proc, bootTimeoutMs, progress);
            } catch (RuntimeException e) {
                kill(m);
                throw e;
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            return m;
        } catch (IOException e) {
            throw new ProbeException("starting the emulated Xen: " + e.getMessage(), e);
        }
    }

    /** The QEMU command line: the hypervisor as a multiboot kernel, Dom0's kernel and initramfs as its modules. */
    static List<String> command(Dom0ImageBuilder.Dom0Image img, int port, int memoryMb, int cpus, long lifetimeS, Path console) {
        int dom0Mb = Math.min(768, memoryMb / 2);
        List<String> c = new ArrayList<>(List.of("setsid", "timeout", "--signal=KILL", lifetimeS + "s", "qemu-system-x86_64", "-accel", "tcg",
                // plain "max" crashes Dom0 (SMAP), and SVM with nested paging is what makes PVH and HVM guests possible
                "-cpu", "max,-smap", "-smp", Integer.toString(cpus), "-m", Integer.toString(memoryMb),
                "-nodefaults", "-display", "none", "-no-reboot",
                "-kernel", img.hypervisor().toString(),
                "-append", "console=com1 com1=115200 dom0_mem=" + dom0Mb + "M dom0_max_vcpus=1 dom0_vcpus_pin",
                // multiboot modules: commas separate them, so commas inside one are doubled
                "-initrd", img.kernel().toString().replace(",", ",,") + " console=hvc0 earlyprintk=xen quiet," + img.initrd().toString().replace(",", ",,"),
                "-serial", "file:" + console,
                "-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:22", "-device", "e1000,netdev=n0"));
        return c;
    }

    private void waitReady(Machine m, Process proc, long timeoutMs, Consumer<String> progress) {
        long start = System.currentTimeMillis(), end = start + timeoutMs;
        try {
            while (true) {
                String text = Files.exists(m.console()) ? Files.readString(m.console(), StandardCharsets.ISO_8859_1) : "";
                if (text.contains("VMLAT-DOM0-READY")) break;
                if (!proc.isAlive()) {
                    String out = Files.readString(stateDir.resolve("qemu.out"), StandardCharsets.ISO_8859_1).strip();
                    throw new ProbeException("QEMU exited while booting Xen (" + proc.exitValue() + "): " + out + GuestOutput.consoleTail(text, 1500));
                }
                if (System.currentTimeMillis() > end) throw new ProbeException("Xen's Dom0 did not come up within " + timeoutMs / 1000 + " s; killed" + GuestOutput.consoleTail(text, 1500));
                Thread.sleep(500);
            }
            String text = Files.readString(m.console(), StandardCharsets.ISO_8859_1);
            for (String line : text.split("\n")) if (line.contains("VMLAT-DOM0-ERROR")) progress.accept("Dom0: " + line.strip());
            progress.accept("Dom0 booted in " + (System.currentTimeMillis() - start) / 1000 + " s; checking SSH");
            SshException last = null;
            while (System.currentTimeMillis() < end + 30_000) {
                try (SshSession s = new SshSession(m.ssh())) {
                    s.connect();
                    return;
                } catch (SshException e) {
                    last = e;
                    Thread.sleep(1000);
                }
            }
            throw new ProbeException("Dom0 booted but SSH does not answer: " + (last == null ? "" : last.getMessage()));
        } catch (IOException e) {
            throw new ProbeException("reading the emulated Xen's console: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while booting Xen");
        }
    }

    /** Stops the machine; false if none was running. */
    public boolean down() {
        Optional<Machine> m = running();
        if (m.isEmpty()) return false;
        kill(m.get());
        return true;
    }

    private void kill(Machine m) {
        if (ProcessGroups.startTime(m.pid()) == m.startTicks()) {
            ProcessGroups.signal(m.pid(), ProcessGroups.SIGTERM);
            for (int i = 0; i < 50 && ProcessGroups.members(m.pid()) > 0; i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (ProcessGroups.members(m.pid()) > 0) ProcessGroups.signal(m.pid(), ProcessGroups.SIGKILL);
        }
        try {
            Files.deleteIfExists(stateFile());
        } catch (IOException e) {
            // the next running() sees the machine gone
        }
    }

    private void save(Machine m) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(m.pid()));
        p.setProperty("start_ticks", Long.toString(m.startTicks()));
        p.setProperty("port", Integer.toString(m.port()));
        p.setProperty("identity", m.identity().toString());
        p.setProperty("known_hosts", m.knownHosts().toString());
        p.setProperty("console", m.console().toString());
        p.setProperty("started_ms", Long.toString(m.startedMs()));
        p.setProperty("lifetime_s", Long.toString(m.lifetimeS()));
        p.setProperty("xen_package", m.xenPackage());
        p.setProperty("kernel_package", m.kernelPackage());
        try (OutputStream o = Files.newOutputStream(stateFile())) {
            p.store(o, "vmlat xen up: the running emulated Xen");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
