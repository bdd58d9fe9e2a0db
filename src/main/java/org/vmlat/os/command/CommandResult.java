package org.vmlat.os.command;

import java.util.List;

/**
 * A command that ran to its end or was killed at its timeout.
 *
 * @param exitCode its exit status (128 + the signal when a signal ended it), -1 when it timed out
 * @param stdout   everything it printed on stdout, each line ended by \n
 * @param stderr   the same for stderr
 * @param timedOut it was still running at the timeout and was killed
 */
public record CommandResult(List<String> argv, int exitCode, String stdout, String stderr, boolean timedOut) {
    public CommandResult {
        argv = List.copyOf(argv);
        if (timedOut && exitCode != -1) throw new IllegalArgumentException("exitCode of a timed-out command must be -1, got " + exitCode);
    }

    public boolean ok() {
        return !timedOut && exitCode == 0;
    }
}
