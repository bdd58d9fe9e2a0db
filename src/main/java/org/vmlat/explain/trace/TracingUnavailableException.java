package org.vmlat.explain.trace;

/** Kernel tracing cannot be used here (tracefs not mounted, not root, an event missing). */
public final class TracingUnavailableException extends Exception {
    public TracingUnavailableException(String message) {
        super(message);
    }
}
