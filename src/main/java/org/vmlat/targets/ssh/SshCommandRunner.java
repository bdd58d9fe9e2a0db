package org.vmlat.targets.ssh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.os.command.CommandException;
import org.vmlat.os.command.CommandOutput;
import org.vmlat.os.command.CommandRunner;
import org.vmlat.os.command.RunningCommand;

/**
 * Runs commands on a machine reached over SSH, through its {@link SshSession} (one shared
 * connection). Each command runs remotely under a small POSIX shell wrapper ({@link #wrapper}):
 * the command leads its own session and process group there ({@code setsid}), the wrapper reports
 * that group's id before anything else, and a watcher reading the channel's stdin kills the group
 * when the channel closes: when this runner closes the command, when the ssh client dies with
 * vmlat, or when the remote sshd goes away. The group is also killed when the command ends, so
 * nothing it started outlives it.
 */
public final class SshCommandRunner implements CommandRunner {
    /** How long a command may take to end after SIGTERM before its group is killed. */
    static final long GRACE_MS = 2000;
    /** How long a remote kill may take over the shared connection. */
    private static final long KILL_TIMEOUT_MS = 15_000;
    static final Pattern PGID_LINE = Pattern.compile("vmlat-pgid (\\d+)");

    private final SshSession ssh;
    private final Set<SshCommand> running = ConcurrentHashMap.newKeySet();

    public SshCommandRunner(SshSession ssh) {
        this.ssh = ssh;
    }

    @Override
    public String where() {
        return ssh.settings().where();
    }

    /**
     * The remote shell text that runs {@code argv}: in its own session and process group, its
     * group id on stderr first ({@code vmlat-pgid N}), the group killed when the channel's stdin
     * closes (fd 3 keeps it for the watcher: a background job's stdin is /dev/null otherwise), and
     * the wrapper's exit status the command's. Every word is single-quoted, so nothing in argv is
     * expanded by the remote shell. {@code kill -SIG -PGID} without {@code --}: dash's kill takes
     * no {@code --}.
     */
    static String wrapper(List<String> argv) {
        StringBuilder words = new StringBuilder();
        for (String w : argv) words.append(' ').append(SshSession.quote(w));
        String script = "exec 3<&0\n"
                + "setsid sh -c 'exec \"$@\"' vmlat" + words + " </dev/null 3<&- &\n"
                + "p=$!\n"
                + "echo \"vmlat-pgid $p\" >&2\n"
                + "( cat <&3 >/dev/null; kill -TERM -$p 2>/dev/null; sleep 2; kill -KILL -$p 2>/dev/null ) >/dev/null 2>&1 &\n"
                + "w=$!\n"
                + "exec 3<&-\n"
                + "wait $p; rc=$?\n"
                + "kill $w 2>/dev/null; kill -KILL -$p 2>/dev/null\n"
                + "exit $rc\n";
        // the login shell may be any shell: sh runs the wrapper
        return "exec sh -c " + SshSession.quote(script);
    }

    @Override
    public RunningCommand start(List<String> argv, CommandOutput output) {
        if (argv.isEmpty()) throw new IllegalArgumentException("argv must name a program, got an empty list");
        Process p;
        try {
            p = ssh.open(wrapper(argv));
        } catch (SshException e) {
            throw new CommandException("cannot start " + argv.get(0) + " on " + where() + ": " + e.getMessage(), e);
        }
        SshCommand c = new SshCommand(argv, p, output);
        running.add(c);
        return c;
    }

    @Override
    public String createTempFile(String prefix, String suffix) {
        String cmd = "f=$(mktemp \"${TMPDIR:-/tmp}/\"" + SshSession.quote(prefix + "XXXXXXXX") + ") && mv \"$f\" \"$f\"" + SshSession.quote(suffix)
                + " && echo \"$f\"" + SshSession.quote(suffix);
        try {
            SshSession.Result r = ssh.run(cmd, null, KILL_TIMEOUT_MS);
            if (!r.ok()) throw new CommandException("cannot create a temporary file on " + where() + ": " + r.err().strip());
            return r.out().strip();
        } catch (SshException e) {
            throw new CommandException("cannot create a temporary file on " + where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] readFile(String path) {
        try {
            SshSession.Result r = ssh.run("cat " + SshSession.quote(path), null, 60_000);
            if (!r.ok()) throw new CommandException("cannot read " + path + " on " + where() + ": " + r.err().strip());
            return r.out().getBytes(StandardCharsets.UTF_8);
        } catch (SshException e) {
            throw new CommandException("cannot read " + path + " on " + where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteFile(String path) {
        try {
            SshSession.Result r = ssh.run("rm -f " + SshSession.quote(path), null, KILL_TIMEOUT_MS);
            if (!r.ok()) throw new CommandException("cannot remove " + path + " on " + where() + ": " + r.err().strip());
        } catch (SshException e) {
            throw new CommandException("cannot remove " + path + " on " + where() + ": " + e.getMessage(), e);
        }
    }

    /** Kills every command still running; the connection itself belongs to the session's owner. */
    @Override
    public void close() {
        for (SshCommand c : List.copyOf(running)) c.close();
    }

    private final class SshCommand implements RunningCommand {
        private final List<String> argv;
        private final Process process;
        private final List<Thread> readers = new ArrayList<>(2);
        private final CountDownLatch pgidKnown = new CountDownLatch(1);
        private volatile long pgid = -1;
        private volatile boolean ended;

        SshCommand(List<String> argv, Process process, CommandOutput output) {
            this.argv = List.copyOf(argv);
            this.process = process;
            readers.add(reader(process.getInputStream(), CommandOutput.Channel.STDOUT, output));
            readers.add(reader(process.getErrorStream(), CommandOutput.Channel.STDERR, output));
        }

        private Thread reader(InputStream in, CommandOutput.Channel channel, CommandOutput output) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (channel == CommandOutput.Channel.STDERR && pgid < 0) {
                            Matcher m = PGID_LINE.matcher(line);
                            if (m.matches()) {
                                pgid = Long.parseLong(m.group(1));
                                pgidKnown.countDown();
                                continue;
                            }
                        }
                        synchronized (this) {
                            output.line(channel, line);
                        }
                    }
                } catch (IOException e) {
                    // the stream closed under us: the command was killed
                } finally {
                    if (channel == CommandOutput.Channel.STDERR) pgidKnown.countDown();
                }
            }, "vmlat-ssh-" + channel.name().toLowerCase(Locale.ROOT));
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public List<String> argv() {
            return argv;
        }

        @Override
        public void terminate() {
            signal("TERM");
        }

        /** Signals the remote group over the shared connection; false when it could not be reached. */
        private boolean signal(String signal) {
            try {
                if (!pgidKnown.await(GRACE_MS, TimeUnit.MILLISECONDS) || pgid < 0 || !process.isAlive()) return false;
                return ssh.run("kill -" + signal + " -" + pgid + " 2>/dev/null; true", null, KILL_TIMEOUT_MS).ok();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (SshException e) {
                // unreachable: the watcher ends the group when the connection's end reaches it
                return false;
            }
        }

        @Override
        public boolean waitFor(long timeoutNs) throws InterruptedException {
            long end = System.nanoTime() + timeoutNs;
            if (!process.waitFor(Math.max(0, timeoutNs), TimeUnit.NANOSECONDS)) return false;
            for (Thread r : readers) {
                long left = end - System.nanoTime();
                if (left > 0) r.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                if (r.isAlive()) return false;
            }
            ended = true;
            running.remove(this);
            return true;
        }

        @Override
        public int exitCode() {
            if (!ended) throw new IllegalStateException(String.join(" ", argv) + " has not ended (waitFor did not return true)");
            return process.exitValue();
        }

        /**
         * Closes the channel's stdin first: the remote watcher then sends SIGTERM to the group at
         * once, with no extra round trip, and this works as well when the machine stopped
         * answering. SIGKILL over the connection follows if the command is still there after the
         * grace period (the watcher sends its own 2 s later).
         */
        @Override
        public void close() {
            try {
                try {
                    process.getOutputStream().close();
                } catch (IOException e) {
                    // the ssh client is gone already
                }
                if (process.isAlive() && !process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
                    signal("KILL");
                    if (!process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) process.destroyForcibly();
                }
                for (Thread r : readers) r.join(GRACE_MS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } finally {
                running.remove(this);
            }
        }
    }
}
