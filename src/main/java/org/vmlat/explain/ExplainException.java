package org.vmlat.explain;

/** A window of trace that cannot explain a spike (events missing: the ring buffer overflowed or the window is too short). */
public final class ExplainException extends RuntimeException {
    public ExplainException(String message) {
        super(message);
    }
}
