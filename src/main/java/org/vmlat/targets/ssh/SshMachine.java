package org.vmlat.targets.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.vmlat.load.LoadSpec;
import org.vmlat.load.Presets;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.check.Capabilities;
import org.vmlat.os.command.CommandOutput;
import org.vmlat.os.command.RunningCommand;
import org.vmlat.probe.ProbeException;

/**
 * A machine reached over SSH, shared by every target of a run on it (the ssh target measured
 * there, and targets whose loads go there): one connection, its facts read once, and the loads
 * vmlat starts on it. A remote load runs in its own session and process group with a pid file
 * under the run directory there ({@code /run/vmlat/ssh-loads} as root, else
 * {@code /tmp/vmlat-UID/ssh-loads}); the pid file names the group, its leader's start time and the
 * vmlat process that owns it (this machine's name, pid and start time), so that connecting ends
 * the loads of owners that no longer run, and only those.
 */
public final class SshMachine implements AutoCloseable {
    /** One sequence for every machine: load names stay unique when two plan entries reach the same machine. */
    private static final AtomicInteger SEQ = new AtomicInteger();
    /** The remote start time of a process (field 22 of /proc/PID/stat, counted after the command's closing parenthesis). */
    private static final String START_TIME = "sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -d' ' -f20";

    /** A load running on the machine: its name there (its pid file's), its command, and the command holding it. */
    public record RemoteLoad(String name, List<String> command, RunningCommand running) {}

    private final SshSession ssh;
    private final SshCommandRunner runner;
    private final Owner me = Owner.current();
    private SystemFacts facts;
    private String runDir;
    private int cpus = 1;
    private String emulated = "";
    private final Map<String, String> tools = new LinkedHashMap<>();

    public SshMachine(SshSession ssh) {
        this.ssh = ssh;
        this.runner = new SshCommandRunner(ssh);
    }

    public String where() {
        return ssh.settings().where();
    }

    public SshSession ssh() {
        return ssh;
    }

    /** The runner that measures there: cyclictest through the one driver. */
    public SshCommandRunner runner() {
        return runner;
    }

    /**
     * Connects once: a refused or unknown key fails here, before anything runs. Reads the
     * machine's facts, its CPU count and load tools, and ends loads that vmlat processes which no
     * longer run left there.
     */
    public synchronized void connect(Consumer<String> info) {
        if (facts != null) return;
        ssh.connect();
        String out = ssh.check("if [ \"$(id -u)\" = 0 ]; then echo /run/vmlat/ssh-loads; else echo /tmp/vmlat-$(id -u)/ssh-loads; fi; nproc;"
                + " for t in stress-ng hackbench; do echo \"tool $t $(command -v $t)\"; done;"
                + " echo \"emulated $(head -c 300 /etc/vmlat-emulated 2>/dev/null | tr '\\n' ' ')\"", 60_000);
        String[] lines = out.strip().split("\n");
        runDir = lines[0].strip();
        try {
            cpus = Math.max(1, Integer.parseInt(lines[1].strip()));
        } catch (RuntimeException e) {
            cpus = 1;
        }
        for (String l : lines) {
            String[] w = l.strip().split(" ", 3);
            if (w.length == 3 && w[0].equals("tool") && !w[2].isBlank()) tools.put(w[1], w[2]);
            if (l.startsWith("emulated ")) emulated = l.substring("emulated ".length()).strip();
        }
        SystemFacts f = RemoteFacts.read(ssh);
        reapLeftovers(info);
        facts = f;
    }

    /** The machine's facts as read at {@link #connect}. */
    public synchronized SystemFacts facts() {
        if (facts == null) throw new IllegalStateException(where() + " is not connected");
        return facts;
    }

    /**
     * How the machine is emulated, "" on hardware: a machine vmlat boots under emulation
     * ({@code vmlat kvm up}, {@code vmlat xen up}) says so in /etc/vmlat-emulated, so whatever is
     * measured there is marked EMULATED however a plan reaches it.
     */
    public synchronized String emulated() {
        if (facts == null) throw new IllegalStateException(where() + " is not connected");
        return emulated;
    }

    /** vmlat's run directory there: /run/vmlat/ssh-loads as root, else /tmp/vmlat-UID/ssh-loads. */
    public synchronized String runDir() {
        if (facts == null) throw new IllegalStateException(where() + " is not connected");
        return runDir;
    }

    public Capabilities capabilities() {
        return RemoteFacts.capabilities(ssh);
    }

    /**
     * A load's command as this machine runs it: the presets with the tools found there, one worker
     * per CPU there by default. vmlat's built-in loads are Java and are not offered there.
     */
    public List<String> loadCommand(LoadSpec load) {
        if (load.isNone()) return List.of();
        if (!load.command().isEmpty()) return load.pinned(load.command());
        if (load.preset().startsWith("builtin-")) {
            throw new ProbeException("load " + load.name() + ": built-in loads are Java and do not run on " + where() + "; use stress-ng or hackbench presets");
        }
        Map<String, String> found = new LinkedHashMap<>(tools);
        if (facts == null) {
            // not connected yet: the record names the tools as if they were there
            found.put("stress-ng", "stress-ng");
            found.put("hackbench", "hackbench");
        }
        Presets.Resolved r = Presets.resolve(load.preset(), load.instances() == 0 ? cpus : load.instances(), found, List.of(), "/tmp");
        if (r.fallback()) {
            throw new ProbeException("load " + load.name() + ": preset " + load.preset() + " needs stress-ng or hackbench on " + where()
                    + " (apt-get install stress-ng rt-tests there)");
        }
        return load.pinned(r.command());
    }

    /**
     * Starts a load in its own session and process group there, through the runner: the group is
     * ended when this vmlat closes it, and also when the connection ends (vmlat killed, the
     * machine's sshd gone); its pid file lets a later run end it should neither work.
     */
    public RemoteLoad startLoad(LoadSpec load) {
        List<String> command = loadCommand(load);
        String name = "vmlat-" + me.host() + "-" + me.pid() + "-" + SEQ.incrementAndGet();
        String base = runDir + "/" + name;
        // $$ is the group's leader (setsid made it so); its start time tells it from a later process with its pid
        String script = "mkdir -p \"$1\" && cd /tmp && p=$$ && echo \"$p $(" + START_TIME + ") " + me.line() + "\" > \"$2.pid\""
                + " && log=\"$2.log\" && shift 2 && exec \"$@\" >\"$log\" 2>&1";
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "vmlat-load", runDir, base));
        argv.addAll(command);
        RunningCommand running = runner.start(argv, CommandOutput.DISCARD);
        return new RemoteLoad(name, command, running);
    }

    /** Null while the load runs, else that it ended and the end of its output. */
    public String loadFailure(RemoteLoad load) {
        try {
            if (!load.running().waitFor(0)) return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        String out = ssh.run("tail -c 600 " + SshSession.quote(runDir + "/" + load.name() + ".log") + " 2>/dev/null", null, 60_000).out().strip();
        return "the load " + String.join(" ", load.command()) + " on " + where() + " ended (exit " + load.running().exitCode() + ")"
                + (out.isEmpty() ? "" : ": " + out.replace('\n', '|'));
    }

    /** Ends a load's whole process group (SIGTERM, SIGKILL after a grace period) and removes its files. */
    public void stopLoad(RemoteLoad load) {
        load.running().close();
        ssh.check(stopScript(SshSession.quote(runDir + "/" + load.name())), 60_000);
    }

    /**
     * Shell that ends the group of a pid file ({@code $f} is its path without .pid) unless its
     * leader is a different process by now (same pid, other start time); a group without its
     * leader can only hold the load's own processes (the kernel does not reuse a pid that is a
     * group's id), so it is ended too. Prints "running" when there was a group to end.
     */
    private static String stopScript(String base) {
        return "f=" + base + "; set -- $(cat \"$f.pid\" 2>/dev/null); p=$1; st=$2;"
                + " if [ -n \"$p\" ]; then cur=$(" + START_TIME + ");"
                + " if [ -z \"$cur\" ] || [ \"$cur\" = \"$st\" ]; then kill -0 -$p 2>/dev/null && echo running; kill -TERM -$p 2>/dev/null; i=0;"
                + " while kill -0 -$p 2>/dev/null && [ $i -lt 20 ]; do sleep 0.1; i=$((i+1)); done; kill -KILL -$p 2>/dev/null; fi; fi;"
                + " rm -f \"$f.pid\" \"$f.log\"; true";
    }

    /**
     * Ends the loads left on this machine by vmlat processes that no longer run: on this machine
     * (its name in the pid file) with that pid and start time. Loads of other machines' vmlat,
     * and of vmlat processes still running, are left alone.
     */
    void reapLeftovers(Consumer<String> info) {
        String listing = ssh.run("for f in " + SshSession.quote(runDir) + "/*.pid; do [ -f \"$f\" ] && echo \"$f $(cat \"$f\")\"; done; true", null, 60_000).out();
        for (String line : listing.split("\n")) {
            Leftover l = Leftover.parse(line.strip());
            if (l == null || !l.owner().host().equals(me.host()) || l.owner().alive()) continue;
            boolean ran = ssh.run(stopScript(SshSession.quote(l.base())), null, 60_000).out().contains("running");
            if (ran) info.accept("ended " + l.name() + " on " + where() + ", a load left by vmlat process " + l.owner().pid() + " which no longer runs");
        }
    }

    /** A line of the leftover listing: pid file path, group id, leader start time, owner host, pid and start ms. */
    record Leftover(String base, long pgid, Owner owner) {
        String name() {
            return base.substring(base.lastIndexOf('/') + 1);
        }

        static Leftover parse(String line) {
            String[] w = line.split(" ");
            if (w.length != 6 || !w[0].endsWith(".pid")) return null;
            try {
                return new Leftover(w[0].substring(0, w[0].length() - 4), Long.parseLong(w[1]),
                        new Owner(w[3], Long.parseLong(w[4]), Long.parseLong(w[5])));
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }

    /** The vmlat process that started a load: this machine's short name, its pid and its start time (ms since the epoch). */
    record Owner(String host, long pid, long startMs) {
        static Owner current() {
            ProcessHandle self = ProcessHandle.current();
            return new Owner(shortHost(), self.pid(), startMs(self));
        }

        String line() {
            return host + " " + pid + " " + startMs;
        }

        /** Whether that process still runs here: the same pid started at the same time (a pid is reused). */
        boolean alive() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(h -> startMs(h) == startMs).orElse(false);
        }

        private static long startMs(ProcessHandle h) {
            return h.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
        }
    }

    static String shortHost() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = System.getenv().getOrDefault("HOSTNAME", "host");
        }
        h = h.split("\\.")[0].replaceAll("[^A-Za-z0-9]", "");
        return h.isEmpty() ? "host" : h.length() > 20 ? h.substring(0, 20) : h;
    }

    /** Kills what the runner still runs there and closes the connection. */
    @Override
    public void close() {
        try {
            runner.close();
        } finally {
            ssh.close();
        }
    }
}
