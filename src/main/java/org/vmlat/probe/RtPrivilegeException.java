package org.vmlat.probe;

/**
 * Real-time scheduling or memory locking was refused. Measuring anyway would silently measure
 * something else (a normal-priority task), so this stops the run unless the user allowed it.
 */
public final class RtPrivilegeException extends ProbeException {
    public RtPrivilegeException(String message) {
        super(message);
    }

    /** The message users get, with the errno and the fix. */
    /** The advice's last sentence, which only commands with --allow-nonrt give. */
    public static final String ALLOW_NONRT_ADVICE = "--allow-nonrt measures anyway and marks the result non-RT.";

    public static String explain(String what, String errno) {
        return what + " refused: " + errno + ". Run as root, or give the user "
                + (what.startsWith("mlockall") ? "an unlimited memlock limit (/etc/security/limits.d: USER - memlock unlimited; ulimit -l shows it) or the capability CAP_IPC_LOCK"
                        : "a real-time priority limit (/etc/security/limits.d: USER - rtprio 99; ulimit -r shows it) or the capability CAP_SYS_NICE")
                + " as an ambient capability (docs/privileges.md). "
                + ALLOW_NONRT_ADVICE;
    }
}
