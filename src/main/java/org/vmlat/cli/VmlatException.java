package org.vmlat.cli;

/** An error to report in one line, with the exit code it maps to. */
public final class VmlatException extends RuntimeException {
    private final int exitCode;

    public VmlatException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public VmlatException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
