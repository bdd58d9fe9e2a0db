package org.vmlat.targets.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.vmlat.os.FileTrees;
import org.vmlat.os.PrivateFolder;

/**
 * Runs commands on a remote machine through the system's OpenSSH client, so the user's ssh
 * configuration, agent and known_hosts apply as they do on the command line. One master
 * connection is shared by every command (ControlMaster): a handshake with an emulated Dom0 costs
 * about a second, a multiplexed command a few milliseconds. The master is closed with the session
 * and persists at most 60 s on its own should vmlat die.
 */
public final class SshSession implements AutoCloseable {
    /** A finished remote command. */
    public record Result(int exit, String out, String err) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private final SshSettings settings;
    private final Path controlDir;
    private boolean connected;

    public SshSession(SshSettings settings) {
        this.settings = settings;
        try {
            // in vmlat's private folder, not loose in /tmp: a SIGKILLed vmlat's folder is reaped at the next start;
            // a short numbered name, as the socket's whole path must stay under 108 bytes
            this.controlDir = PrivateFolder.createNumberedDirectory("ssh");
        } catch (IOException e) {
            throw new SshException("cannot create a directory for the ssh control socket: " + e.getMessage());
        }
    }

    public SshSettings settings() {
        return settings;
    }

    /** The ssh command line up to the host (the remote command goes after it). */
    List<String> baseCommand() {
        List<String> c = new ArrayList<>(List.of("ssh", "-p", Integer.toString(settings.port()),
                "-o", "BatchMode=yes", "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=6",
                "-o", "StrictHostKeyChecking=" + (settings.checkHostKey() ? "yes" : "no"),
                "-o", "ControlMaster=auto", "-o", "ControlPath=" + controlDir.resolve("cm"), "-o", "ControlPersist=60",
                "-o", "LogLevel=ERROR"));
        if (settings.knownHosts() != null) c.addAll(List.of("-o", "UserKnownHostsFile=" + settings.knownHosts()));
        if (!settings.checkHostKey() && settings.knownHosts() == null) c.addAll(List.of("-o", "UserKnownHostsFile=/dev/null"));
        if (settings.identity() != null) c.addAll(List.of("-i", settings.identity().toString(), "-o", "IdentitiesOnly=yes"));
        if (settings.user() != null && !settings.user().isBlank()) c.addAll(List.of("-l", settings.user()));
        c.add(settings.host());
        return c;
    }

    /** Opens the connection and checks that a shell answers; the message says what to fix when not. */
    public void connect() {
        if (connected) return;
        if (settings.identity() != null && !Files.isReadable(settings.identity())) {
            throw new SshException("ssh key " + settings.identity() + " for " + settings.where() + " does not exist or cannot be read");
        }
        if (settings.checkHostKey() && settings.knownHosts() != null && !Files.isReadable(settings.knownHosts())) {
            throw new SshException("known_hosts file " + settings.knownHosts() + " for " + settings.where() + " does not exist or cannot be read");
        }
        Result r = run("echo vmlat-ok", null, 30_000);
        if (!r.ok() || !r.out().contains("vmlat-ok")) throw new SshException(explain(settings, r.exit(), r.err()));
        connected = true;
    }

    /** Runs a command; a non-zero exit is returned, not thrown. Fails only when ssh itself fails or times out. */
    public Result run(String command, byte[] stdin, long timeoutMs) {
        List<String> cmd = baseCommand();
        cmd.add(command);
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new SshException("cannot run ssh (apt-get install openssh-client): " + e.getMessage());
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) in.write(stdin);
        } catch (IOException e) {
            // the remote side closed early; its exit status and stderr say why
        }
        try {
            if (!p.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SshException("no answer from " + settings.where() + " within " + timeoutMs / 1000 + " s to: " + abbreviate(command));
            }
            Result r = new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8));
            if (r.exit() == 255 && connected) throw new SshException(explain(settings, 255, r.err()));
            return r;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SshException("interrupted while running on " + settings.where() + ": " + abbreviate(command));
        }
    }

    /**
     * Starts a remote command and returns the local ssh process: its stdin, stdout and stderr are
     * the remote command's. For commands that stream their output or must end with the
     * connection ({@link SshCommandRunner}, Dom0's guard); {@link #run} serves the rest.
     */
    public Process open(String command) {
        List<String> cmd = baseCommand();
        cmd.add(command);
        try {
            return new ProcessBuilder(cmd).start();
        } catch (IOException e) {
            throw new SshException("cannot run ssh (apt-get install openssh-client): " + e.getMessage());
        }
    }

    /**
     * Whether the machine still answers (a new connection is made if the shared one broke); null
     * if it does, else why not.
     */
    public String unreachable(long timeoutMs) {
        try {
            Result r = run("echo vmlat-ok", null, timeoutMs);
            return r.out().contains("vmlat-ok") ? null : explain(settings, r.exit(), r.err());
        } catch (SshException e) {
            return e.getMessage();
        }
    }

    /** Runs a command that must succeed; its output. */
    public String check(String command, long timeoutMs) {
        Result r = run(command, null, timeoutMs);
        if (!r.ok()) {
            String why = (r.err().isBlank() ? r.out() : r.err()).strip();
            throw new SshException("on " + settings.where() + ": " + abbreviate(command) + " failed (exit " + r.exit() + ")" + (why.isEmpty() ? "" : ": " + why));
        }
        return r.out();
    }

    /** Copies a file to the remote machine (atomically: a half-copied file never has the final name). */
    public void upload(Path local, String remote) {
        byte[] data;
        try {
            data = Files.readAllBytes(local);
        } catch (IOException e) {
            throw new SshException("cannot read " + local + ": " + e.getMessage());
        }
        String q = quote(remote), part = quote(remote + ".part");
        int slash = remote.lastIndexOf('/');
        String dir = slash > 0 ? "mkdir -p " + quote(remote.substring(0, slash)) + " && " : "";
        Result r = run(dir + "cat > " + part + " && mv " + part + " " + q, data, 600_000);
        if (!r.ok()) throw new SshException("copying " + local + " to " + settings.where() + ":" + remote + " failed: " + r.err().strip());
    }

    /** Single-quotes a word for the remote POSIX shell. */
    public static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * Turns ssh's own failure (exit 255) into a message that says what is wrong and what to do:
     * an unknown or changed host key, a refused key, an unreachable machine.
     */
    static String explain(SshSettings s, int exit, String stderr) {
        String err = stderr == null ? "" : stderr.strip();
        String last = err.isEmpty() ? "exit " + exit : err.lines().reduce((a, b) -> b).orElse(err);
        String known = s.knownHosts() != null ? s.knownHosts().toString() : "~/.ssh/known_hosts";
        if (err.contains("Host key verification failed") || err.contains("No ED25519 host key is known")
                || err.contains("host key is known") || err.contains("HOST IDENTIFICATION HAS CHANGED")) {
            return "the host key of " + s.where() + " is unknown or has changed (" + known + "): check its fingerprint, then add it, e.g. "
                    + "ssh-keyscan -p " + s.port() + " " + s.host() + " >> " + known + " (host keys are checked: keys only, no prompts)";
        }
        if (err.contains("Permission denied")) {
            return s.where() + " refused the key" + (s.identity() != null ? " " + s.identity() : "") + " (vmlat logs in with keys only: put the public key in "
                    + "~" + (s.user() == null ? "" : s.user()) + "/.ssh/authorized_keys there)";
        }
        if (err.contains("Connection refused") || err.contains("timed out") || err.contains("No route to host")
                || err.contains("Could not resolve") || err.contains("Network is unreachable") || err.contains("Connection closed")
                || err.contains("Connection reset") || err.contains("kex_exchange_identification")) {
            return "cannot reach " + s.where() + ": " + last;
        }
        return "ssh to " + s.where() + " failed: " + last;
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
    }

    private static String abbreviate(String command) {
        String one = command.replace('\n', ' ');
        return one.length() > 120 ? one.substring(0, 117) + "..." : one;
    }

    @Override
    public void close() {
        try {
            List<String> cmd = baseCommand();
            cmd.add(cmd.size() - 1, "-O");
            cmd.add(cmd.size() - 1, "exit");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (IOException e) {
            // no master to close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FileTrees.deleteQuietly(controlDir); // else removed with the private folder
        connected = false;
    }
}
