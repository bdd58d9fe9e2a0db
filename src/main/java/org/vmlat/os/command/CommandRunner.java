package org.vmlat.os.command;

import java.util.List;

/**
 * Runs commands on one machine: this one ({@link LocalCommandRunner}), another one over SSH, or a
 * guest. Commands are argv lists, never shell strings: a runner that needs a shell on the way (a
 * remote login) quotes them itself, so a driver builds one command line for every machine. Files
 * a command writes live where it ran, so they are made, read and removed through the runner too.
 * Paths are strings because they name files on the runner's machine, not on this one.
 */
public interface CommandRunner extends AutoCloseable {
    /** Where the commands run, for messages: "this machine", "root@dom0:2222". */
    String where();

    /**
     * Starts a command. Every line it prints on stdout or stderr goes to {@code output} as it
     * comes, without its line end; calls never overlap. As in a shell, a program that is not
     * there or cannot be executed shows as exit status 127 or 126 with the reason on stderr: on
     * another machine only that machine can tell.
     *
     * @throws CommandException when the command cannot be started at all (the machine cannot
     *                          be reached, no process can be made)
     */
    RunningCommand start(List<String> argv, CommandOutput output);

    /**
     * Runs a command to its end and collects what it printed. A command still running after
     * {@code timeoutNs} is killed with everything it started, and the result says it timed out.
     */
    default CommandResult run(List<String> argv, long timeoutNs) {
        if (timeoutNs <= 0) throw new IllegalArgumentException("timeout must be > 0 ns, got " + timeoutNs);
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        try (RunningCommand c = start(argv, (channel, line) -> (channel == CommandOutput.Channel.STDOUT ? out : err).append(line).append('\n'))) {
            boolean ended;
            try {
                ended = c.waitFor(timeoutNs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandException("interrupted while running " + String.join(" ", argv) + " on " + where());
            }
            if (!ended) c.close();
            return new CommandResult(argv, ended ? c.exitCode() : -1, out.toString(), err.toString(), !ended);
        }
    }

    /** Makes a new empty file on the runner's machine for a command to write; its path there. */
    String createTempFile(String prefix, String suffix);

    /** The content of a file on the runner's machine. */
    byte[] readFile(String path);

    /** Removes a file on the runner's machine; a file that is not there is not an error. */
    void deleteFile(String path);

    /** Kills every command started through this runner that is still running. */
    @Override
    void close();
}
