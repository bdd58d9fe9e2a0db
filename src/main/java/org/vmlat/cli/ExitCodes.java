package org.vmlat.cli;

/** vmlat's exit codes: a contract for scripts and CI, listed in every command's help. */
public final class ExitCodes {
    public static final int OK = 0;
    /** Runtime error: a probe or tool failed, a file could not be read. */
    public static final int ERROR = 1;
    /** Usage: bad option or value (picocli's convention). */
    public static final int USAGE = 2;
    /** Threshold exceeded (break trace hit) or, for analyses, unschedulable. */
    public static final int THRESHOLD = 3;
    /** Environment unusable: real-time scheduling or memory locking refused, tool missing. */
    public static final int ENVIRONMENT = 4;

    public static final String FOOTER = "%nExit codes: 0 ok, 1 error, 2 usage, 3 threshold exceeded, "
            + "4 environment unusable (no RT privileges, tool missing).";

    private ExitCodes() {}
}
