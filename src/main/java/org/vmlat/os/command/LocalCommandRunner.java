package org.vmlat.os.command;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.vmlat.os.ChildProcesses;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.ProcessGroups;

/**
 * Runs commands on this machine. Each command starts through {@link ChildProcesses}, as loads do, so it
 * leads its own session and process group and dies with vmlat: stopping and killing reach everything it started (a
 * shell's children, a tool's workers), and a terminal's Ctrl-C reaches only vmlat, which then
 * stops the command in order. Two reader threads per command deliver its output.
 */
public final class LocalCommandRunner implements CommandRunner {
    /** How long a command may take to end after SIGTERM before it is killed. */
    static final long GRACE_MS = 2000;

    private final Set<LocalCommand> running = ConcurrentHashMap.newKeySet();

    @Override
    public String where() {
        return "this machine";
    }

    @Override
    public RunningCommand start(List<String> argv, CommandOutput output) {
        if (argv.isEmpty()) throw new IllegalArgumentException("argv must name a program, got an empty list");
        Process p;
        try {
            // in its own process group under a supervisor that ends the group when vmlat dies, even
            // by SIGKILL; stdin is closed, so a command that asks for input gets end-of-file
            p = ChildProcesses.start(new ProcessBuilder(argv)).process();
        } catch (IOException e) {
            throw new CommandException("cannot start " + argv.get(0) + " on " + where() + ": " + e.getMessage(), e);
        }
        LocalCommand c = new LocalCommand(argv, p, output);
        running.add(c);
        return c;
    }

    @Override
    public String createTempFile(String prefix, String suffix) {
        try {
            return PrivateFolder.createTempFile(prefix, suffix).toString();
        } catch (IOException e) {
            throw new CommandException("cannot create a temporary file on " + where() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] readFile(String path) {
        try {
            return Files.readAllBytes(Path.of(path));
        } catch (IOException e) {
            throw new CommandException("cannot read " + path + " on " + where() + ": " + e, e);
        }
    }

    @Override
    public void deleteFile(String path) {
        try {
            Files.deleteIfExists(Path.of(path));
        } catch (IOException e) {
            throw new CommandException("cannot remove " + path + " on " + where() + ": " + e, e);
        }
    }

    @Override
    public void close() {
        for (LocalCommand c : List.copyOf(running)) c.close();
    }

    private final class LocalCommand implements RunningCommand {
        private final List<String> argv;
        private final Process process;
        /** The process id of the command, which setsid made its session and process group id too. */
        private final long pgid;
        private final List<Thread> readers = new ArrayList<>(2);
        private volatile boolean ended;

        LocalCommand(List<String> argv, Process process, CommandOutput output) {
            this.argv = List.copyOf(argv);
            this.process = process;
            this.pgid = process.pid();
            readers.add(reader(process.getInputStream(), CommandOutput.Channel.STDOUT, output));
            readers.add(reader(process.getErrorStream(), CommandOutput.Channel.STDERR, output));
        }

        private Thread reader(InputStream in, CommandOutput.Channel channel, CommandOutput output) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        synchronized (this) {
                            output.line(channel, line);
                        }
                    }
                } catch (IOException e) {
                    // the stream closed under us: the command was killed
                }
            }, "vmlat-" + channel.name().toLowerCase(Locale.ROOT) + "-" + pgid);
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
            if (process.isAlive()) ProcessGroups.signal(pgid, ProcessGroups.SIGTERM);
        }

        @Override
        public boolean waitFor(long timeoutNs) throws InterruptedException {
            long end = System.nanoTime() + timeoutNs;
            if (!process.waitFor(Math.max(0, timeoutNs), TimeUnit.NANOSECONDS)) return false;
            // the output is complete when both streams are closed (a child that kept them open has to end too)
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

        @Override
        public void close() {
            try {
                if (process.isAlive()) {
                    ProcessGroups.signal(pgid, ProcessGroups.SIGTERM);
                    if (!process.waitFor(GRACE_MS, TimeUnit.MILLISECONDS)) {
                        ProcessGroups.signal(pgid, ProcessGroups.SIGKILL);
                        process.waitFor(5, TimeUnit.SECONDS);
                    }
                }
                // what it started may outlive it in its group (a shell's background children)
                ProcessGroups.signal(pgid, ProcessGroups.SIGKILL);
                for (Thread r : readers) r.join(GRACE_MS);
            } catch (InterruptedException e) {
                ProcessGroups.signal(pgid, ProcessGroups.SIGKILL);
                Thread.currentThread().interrupt();
            } finally {
                running.remove(this);
            }
        }
    }
}
