package org.vmlat.probe;

/** The probe could not run (tool missing, process failed, output unreadable). */
public class ProbeException extends RuntimeException {
    public ProbeException(String message) {
        super(message);
    }

    public ProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
