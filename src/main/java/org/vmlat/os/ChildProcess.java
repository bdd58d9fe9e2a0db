package org.vmlat.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A child started by {@link ChildProcesses}: the supervisor {@link #process()} (whose output is the
 * command's, and whose exit status is the command's) leading its own process group, which holds
 * the command and everything it forks.
 */
public final class ChildProcess implements AutoCloseable {
    private final Process process;
    private final List<String> command;
    private final boolean supervised;

    ChildProcess(Process process, List<String> command, boolean supervised) {
        this.process = process;
        this.command = command;
        this.supervised = supervised;
    }

    /** The supervisor; read the command's output from it and wait for it. */
    public Process process() {
        return process;
    }

    public List<String> command() {
        return command;
    }

    /** The process group (and session) id: the supervisor's pid. */
    public long groupId() {
        return process.pid();
    }

    /** The supervisor, as recorded in the state folder. */
    public ProcessIdentity leader() {
        return ProcessIdentity.of(process.pid()).orElse(new ProcessIdentity(process.pid(), 0));
    }

    /**
     * The pid of the command itself (the supervisor's child), for calls that act on its threads;
     * -1 if it has already ended. Waits up to a second for the supervisor to fork it and for the
     * fork to exec the command (until then it is a copy of the supervisor's shell).
     */
    public long commandPid() {
        if (!supervised) return process.pid();
        for (int i = 0; i < 100 && process.isAlive(); i++) {
            long pid = childOf(process.pid());
            if (pid > 0 && runs(pid, command.get(0))) return pid;
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
        return -1;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM to the whole group: the command stops as on Ctrl-C. */
    public void terminate() {
        ProcessGroups.signal(groupId(), ProcessGroups.SIGTERM);
    }

    /** SIGKILL to the whole group, including workers that outlived the command. */
    public void kill() {
        ProcessGroups.signal(groupId(), ProcessGroups.SIGKILL);
    }

    /** SIGTERM, then SIGKILL after {@code graceMs}; always ends with a SIGKILL to the group. */
    public void stop(long graceMs) {
        terminate();
        try {
            if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) {
                kill();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(); // workers that outlived their leader share the group
    }

    @Override
    public void close() {
        stop(2000);
    }

    /** Whether {@code pid} runs {@code argv0} (its cmdline starts with it). */
    private static boolean runs(long pid, String argv0) {
        try {
            byte[] cmdline = Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline"));
            int end = 0;
            while (end < cmdline.length && cmdline[end] != 0) end++;
            return new String(cmdline, 0, end, StandardCharsets.UTF_8).equals(argv0);
        } catch (IOException e) {
            return false;
        }
    }

    private static long childOf(long parent) {
        Path children = Path.of("/proc/" + parent + "/task/" + parent + "/children");
        try {
            String s = Files.readString(children).strip();
            if (!s.isEmpty()) return Long.parseLong(s.split(" ")[0]);
            return -1;
        } catch (IOException | RuntimeException e) {
            // kernels without CONFIG_PROC_CHILDREN: look for the process whose parent it is
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (ProcessGroups.parentOf(pid) == parent) return pid;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
