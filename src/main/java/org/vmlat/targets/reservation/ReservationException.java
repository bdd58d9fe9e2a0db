package org.vmlat.targets.reservation;

/** A reservation that could not be applied, read back or restored; the message says why and what to do. */
public final class ReservationException extends RuntimeException {
    public ReservationException(String message) {
        super(message);
    }

    public ReservationException(String message, Throwable cause) {
        super(message, cause);
    }
}
