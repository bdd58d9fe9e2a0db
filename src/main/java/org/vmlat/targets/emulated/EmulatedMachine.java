package org.vmlat.targets.emulated;

import java.io.File;
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
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.vmlat.os.VmlatDirs;
import org.vmlat.os.ProcessGroups;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.ssh.SshException;
import org.vmlat.targets.ssh.SshSession;
import org.vmlat.targets.ssh.SshSettings;

/**
 * The life of one machine booted under QEMU full emulation and reached over SSH on 127.0.0.1
 * (an emulated Xen, an emulated KVM host). QEMU runs in its own session under
 * {@code timeout --signal=KILL LIFETIME}, so it ends at {@code down} or, forgotten, when its
 * lifetime is over; a state file in the state directory says how to reach it, and a state file
 * whose process is gone (or whose pid now names another process) counts as nothing running.
 * The machine's /init prints the ready marker on its first serial port once sshd runs, and an
 * error marker line for each step that failed.
 */
public final class EmulatedMachine {
    /**
     * A running machine.
     *
     * @param startTicks the process's start time, so a reused pid is never taken for it
     * @param labels     what the machine is (packages, kernel), kept with the state
     */
    public record Running(long pid, long startTicks, int port, Path identity, Path knownHosts, Path console, long startedMs, long lifetimeS,
                          Map<String, String> labels) {
        public Running {
            labels = Map.copyOf(labels);
        }

        public SshSettings ssh() {
            return new SshSettings("127.0.0.1", port, "root", identity, knownHosts, true);
        }

        public String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    private static final List<String> STATE_KEYS = List.of("pid", "start_ticks", "port", "identity", "known_hosts", "console", "started_ms", "lifetime_s");

    private final Path stateDir;
    private final String what;
    private final String readyMarker;
    private final String errorMarker;

    /**
     * @param what        the machine as messages name it ("Xen's Dom0", "the KVM host")
     * @param readyMarker what /init prints on the console when sshd runs
     * @param errorMarker what starts /init's lines about a step that failed
     */
    public EmulatedMachine(Path stateDir, String what, String readyMarker, String errorMarker) {
        this.stateDir = stateDir;
        this.what = what;
        this.readyMarker = readyMarker;
        this.errorMarker = errorMarker;
    }

    /** $VMLAT_STATE_DIR/NAME, else $XDG_STATE_HOME/vmlat/NAME, else ~/.local/state/vmlat/NAME. */
    public static Path defaultStateDir(String name) {
        return VmlatDirs.state(name);
    }

    public Path stateDir() {
        return stateDir;
    }

    private Path stateFile() {
        return stateDir.resolve("machine.properties");
    }

    /** The running machine, if any; a state file whose machine is gone is removed. */
    public Optional<Running> running() {
        Path f = stateFile();
        if (!Files.exists(f)) return Optional.empty();
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        Map<String, String> labels = new TreeMap<>();
        for (String k : p.stringPropertyNames()) if (!STATE_KEYS.contains(k)) labels.put(k, p.getProperty(k));
        Running m;
        try {
            m = new Running(Long.parseLong(p.getProperty("pid")), Long.parseLong(p.getProperty("start_ticks")), Integer.parseInt(p.getProperty("port")),
                    Path.of(p.getProperty("identity")), Path.of(p.getProperty("known_hosts")), Path.of(p.getProperty("console")),
                    Long.parseLong(p.getProperty("started_ms")), Long.parseLong(p.getProperty("lifetime_s")), labels);
        } catch (RuntimeException e) {
            // a state file of an older vmlat, or half written: nothing this vmlat can reach
            return Optional.empty();
        }
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
     * Starts QEMU and waits until the machine answers over SSH; a failure or a Ctrl-C while booting
     * leaves nothing running.
     *
     * @param port   the SSH port on 127.0.0.1; 0 = a free one
     * @param qemu   the QEMU command line for a port, including {@link #sshForward(int)}
     */
    public Running start(SshKeys keys, int port, IntFunction<List<String>> qemu, long lifetimeS, long bootTimeoutMs,
                         Map<String, String> labels, Consumer<String> progress) {
        try {
            Files.createDirectories(stateDir);
            int p = port != 0 ? port : freePort();
            Path console = stateDir.resolve("console.log");
            Path knownHosts = stateDir.resolve("known_hosts");
            Files.writeString(knownHosts, "[127.0.0.1]:" + p + " " + Files.readString(keys.knownHostKey()).strip() + "\n");
            Files.deleteIfExists(console);
            List<String> cmd = new ArrayList<>(watchdog(lifetimeS));
            cmd.addAll(qemu.apply(p));
            cmd.addAll(List.of("-serial", "file:" + console));
            Files.writeString(stateDir.resolve("qemu.command"), String.join(" ", cmd) + "\n");
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(stateDir.resolve("qemu.out").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            long pid = proc.pid();
            Running m = new Running(pid, ProcessGroups.startTime(pid), p, keys.identity(), knownHosts, console, System.currentTimeMillis(), lifetimeS,
                    labels);
            save(m);
            Thread hook = new Thread(() -> kill(m));
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                waitReady(m, proc, bootTimeoutMs, progress);
            } catch (RuntimeException e) {
                kill(m);
                throw e;
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down already: the hook kills the machine
                }
            }
            return m;
        } catch (IOException e) {
            throw new ProbeException("starting " + what + ": " + e.getMessage(), e);
        }
    }

    /**
     * The watchdog QEMU runs under: its own session (so {@code down} ends QEMU and all it started
     * with one signal to the group) and a lifetime after which it is killed whatever happens.
     */
    static List<String> watchdog(long lifetimeS) {
        return List.of("setsid", "timeout", "--signal=KILL", lifetimeS + "s");
    }

    /** QEMU's user-mode network with the machine's SSH port forwarded to 127.0.0.1:port (an e1000 NIC, module e1000). */
    public static List<String> sshForward(int port) {
        return List.of("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:" + port + "-:22", "-device", "e1000,netdev=n0");
    }

    private void waitReady(Running m, Process proc, long timeoutMs, Consumer<String> progress) {
        long start = System.currentTimeMillis(), end = start + timeoutMs;
        try {
            while (true) {
                String text = Files.exists(m.console()) ? Files.readString(m.console(), StandardCharsets.ISO_8859_1) : "";
                if (text.contains(readyMarker)) break;
                if (!proc.isAlive()) {
                    String out = Files.readString(stateDir.resolve("qemu.out"), StandardCharsets.ISO_8859_1).strip();
                    throw new ProbeException("QEMU exited while booting " + what + " (" + proc.exitValue() + "): " + out + GuestOutput.consoleTail(text, 1500));
                }
                if (System.currentTimeMillis() > end) {
                    throw new ProbeException(what + " did not come up within " + timeoutMs / 1000 + " s; killed" + GuestOutput.consoleTail(text, 1500));
                }
                Thread.sleep(500);
            }
            String text = Files.readString(m.console(), StandardCharsets.ISO_8859_1);
            for (String line : text.split("\n")) if (line.contains(errorMarker)) progress.accept(what + ": " + line.strip());
            progress.accept(what + " booted in " + (System.currentTimeMillis() - start) / 1000 + " s; checking SSH");
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
            throw new ProbeException(what + " booted but SSH does not answer: " + (last == null ? "" : last.getMessage()));
        } catch (IOException e) {
            throw new ProbeException("reading the console of " + what + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted while booting " + what);
        }
    }

    /** Stops the machine and removes the state file; false if none was running. */
    public boolean down() {
        Optional<Running> m = running();
        if (m.isEmpty()) return false;
        kill(m.get());
        return true;
    }

    private void kill(Running m) {
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

    private void save(Running m) throws IOException {
        Properties p = new Properties();
        m.labels().forEach(p::setProperty);
        p.setProperty("pid", Long.toString(m.pid()));
        p.setProperty("start_ticks", Long.toString(m.startTicks()));
        p.setProperty("port", Integer.toString(m.port()));
        p.setProperty("identity", m.identity().toString());
        p.setProperty("known_hosts", m.knownHosts().toString());
        p.setProperty("console", m.console().toString());
        p.setProperty("started_ms", Long.toString(m.startedMs()));
        p.setProperty("lifetime_s", Long.toString(m.lifetimeS()));
        try (OutputStream o = Files.newOutputStream(stateFile())) {
            p.store(o, "vmlat: the running emulated machine (" + what + ")");
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
