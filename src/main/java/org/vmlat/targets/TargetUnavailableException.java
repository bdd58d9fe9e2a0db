package org.vmlat.targets;

/**
 * A target cannot be used here at all: a tool it needs is missing, the machine it runs on is not
 * reachable or not what the plan says. Every scenario on it would fail alike, so the run stops
 * before it starts (exit code 4, environment unusable).
 */
public final class TargetUnavailableException extends RuntimeException {
    public TargetUnavailableException(String message) {
        super(message);
    }

    public TargetUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
