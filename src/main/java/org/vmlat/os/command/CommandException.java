package org.vmlat.os.command;

/** A command could not be started, or a file on the runner's machine could not be made, read or removed. */
public class CommandException extends RuntimeException {
    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
