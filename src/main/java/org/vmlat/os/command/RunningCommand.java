package org.vmlat.os.command;

import java.util.List;

/**
 * A command started by a {@link CommandRunner}. Closing it ends the command and everything it
 * started, whatever state it is in; a command that already ended is left as it is.
 */
public interface RunningCommand extends AutoCloseable {
    List<String> argv();

    /**
     * Asks the command to stop (SIGTERM): a tool that handles it, as cyclictest does, stops
     * measuring and still prints what it measured. Returns at once; {@link #waitFor} tells the end.
     */
    void terminate();

    /**
     * Waits up to {@code timeoutNs} (0 = just look) for the command to end and for its output
     * to be delivered to the {@link CommandOutput} in full.
     *
     * @return true when it ended; then {@link #exitCode()} is known
     */
    boolean waitFor(long timeoutNs) throws InterruptedException;

    /**
     * Its exit status, 128 + the signal when a signal ended it.
     *
     * @throws IllegalStateException before {@link #waitFor} returned true
     */
    int exitCode();

    /** Ends the command and what it started (SIGTERM, then SIGKILL after a grace period) and waits for it. */
    @Override
    void close();
}
