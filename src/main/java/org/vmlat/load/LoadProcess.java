package org.vmlat.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.vmlat.os.ProcessGroups;

/**
 * A running load: its own session and process group (started through {@code setsid}), recorded in
 * a pid file while it runs. {@link #close()} ends the whole group (SIGTERM, then SIGKILL after a
 * grace period) and removes the pid file. If vmlat itself is killed before that, the next vmlat
 * start finds the pid file and ends the group ({@link LeftoverReaper}).
 */
public final class LoadProcess implements AutoCloseable {
    private final LoadSpec spec;
    private final List<String> command;
    private final Process process;
    private final long pgid;
    private final Path pidFile;
    private final Path output;

    private LoadProcess(LoadSpec spec, List<String> command, Process process, Path pidFile, Path output) {
        this.spec = spec;
        this.command = List.copyOf(command);
        this.process = process;
        this.pgid = process.pid();
        this.pidFile = pidFile;
        this.output = output;
    }

    /** Starts the command in a new session; its output goes to a temporary file for error messages. */
    public static LoadProcess start(LoadSpec spec, List<String> command, Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path out = Files.createTempFile("vmlat-load-", ".log");
        List<String> argv = new ArrayList<>();
        argv.add("setsid");
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        Path pidFile = stateDir.resolve(Long.toString(p.pid()));
        long start = ProcessGroups.startTime(p.pid());
        Files.writeString(pidFile, start + "\n" + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
        return new LoadProcess(spec, command, p, pidFile, out);
    }

    public LoadSpec spec() {
        return spec;
    }

    public List<String> command() {
        return command;
    }

    /** The process id, which is also its process group and session id. */
    public long pid() {
        return pgid;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Why it is not running: exit code and the tail of its output. */
    public String failure() {
        String tail = "";
        try {
            String all = Files.readString(output);
            tail = all.length() > 400 ? all.substring(all.length() - 400) : all;
        } catch (IOException e) {
            tail = "";
        }
        return "load \"" + spec.name() + "\" (" + String.join(" ", command) + ") exited"
                + (process.isAlive() ? "" : " with " + process.exitValue()) + (tail.isBlank() ? "" : ": " + tail.strip());
    }

    /** Ends every process of the load's group. */
    @Override
    public void close() {
        ProcessGroups.signal(pgid, ProcessGroups.SIGTERM);
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                ProcessGroups.signal(pgid, ProcessGroups.SIGKILL);
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // children that outlived their leader (e.g. stress-ng workers) share the group
        ProcessGroups.signal(pgid, ProcessGroups.SIGKILL);
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // a stale pid file is reaped at the next start
        }
    }
}
