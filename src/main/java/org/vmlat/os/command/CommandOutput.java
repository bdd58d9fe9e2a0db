package org.vmlat.os.command;

/** Receives a running command's output line by line (see {@link CommandRunner#start}). */
@FunctionalInterface
public interface CommandOutput {
    /** Which of the command's two output streams a line came from. */
    enum Channel { STDOUT, STDERR }

    void line(Channel channel, String line);

    CommandOutput DISCARD = (channel, line) -> {};
}
