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
        return what + " refused: " + errno + ". Run as root, or grant the capability "
                + (what.startsWith("mlockall") ? "CAP_IPC_LOCK (or raise RLIMIT_MEMLOCK: ulimit -l unlimited)"
                        : "CAP_SYS_NICE (or raise RLIMIT_RTPRIO: ulimit -r 99)")
                + ", e.g. sudo setcap cap_sys_nice,cap_ipc_lock+ep \"$(readlink -f \"$(which java)\")\". "
                + ALLOW_NONRT_ADVICE;
    }
}
