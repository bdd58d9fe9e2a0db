package org.vmlat.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.ChildProcess;
import org.vmlat.os.ChildProcesses;
import org.vmlat.os.PrivateFolder;
import org.vmlat.os.ProcessIdentity;

/**
 * A running load (or QEMU guest): its own session and process group under a supervisor that the
 * kernel makes end the group when vmlat dies ({@link ChildProcesses}), recorded in the state
 * folder with its owner while it runs. {@link #close()} ends the whole group (SIGTERM, then
 * SIGKILL after a grace period) and removes the record; {@link LeftoverReaper} is the safety net
 * for systems without a parent-death signal.
 */
public final class LoadProcess implements AutoCloseable {
    private final LoadSpec spec;
    private final List<String> command;
    private final ChildProcess child;
    private final Path record;
    private final Path output;

    private LoadProcess(LoadSpec spec, List<String> command, ChildProcess child, Path record, Path output) {
        this.spec = spec;
        this.command = List.copyOf(command);
        this.child = child;
        this.record = record;
        this.output = output;
    }

    /** Starts the command in a new session; its output goes to a file of vmlat's private folder for error messages. */
    public static LoadProcess start(LoadSpec spec, List<String> command, Path stateDir) throws IOException {
        Files.createDirectories(stateDir);
        Path out = PrivateFolder.createTempFile("load-", ".log");
        ChildProcess child = ChildProcesses.start(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()));
        Path record;
        try {
            record = new LoadRecord(Optional.of(ProcessIdentity.self()), child.leader(), String.join(" ", command)).write(stateDir);
        } catch (IOException e) {
            child.kill();
            throw e;
        }
        return new LoadProcess(spec, command, child, record, out);
    }

    public LoadSpec spec() {
        return spec;
    }

    public List<String> command() {
        return command;
    }

    /** The process group (and session) id. */
    public long pid() {
        return child.groupId();
    }

    /** The pid of the command itself, for acting on its threads (QEMU's vCPUs); -1 once it ended. */
    public long commandPid() {
        return child.commandPid();
    }

    public boolean isAlive() {
        return child.isAlive();
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
        Process p = child.process();
        return "load \"" + spec.name() + "\" (" + String.join(" ", command) + ") exited"
                + (p.isAlive() ? "" : " with " + p.exitValue()) + (tail.isBlank() ? "" : ": " + tail.strip());
    }

    /** Ends every process of the load's group. */
    @Override
    public void close() {
        child.stop(2000);
        try {
            Files.deleteIfExists(record);
            Files.deleteIfExists(output);
        } catch (IOException e) {
            // a stale record is reaped at the next start; the log goes with the private folder
        }
    }
}
