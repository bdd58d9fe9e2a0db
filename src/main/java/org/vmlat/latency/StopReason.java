package org.vmlat.latency;

/** Why a measurement ended. */
public enum StopReason {
    /** The requested duration or number of loops elapsed. */
    COMPLETED,
    /** A latency exceeded the break-trace threshold ({@code -b}). */
    BREAKTRACE,
    /** The user interrupted it (Ctrl-C, SIGTERM); what was measured so far is kept. */
    INTERRUPTED,
    /** The probe failed; the result holds what was measured before the failure. */
    FAILED,
    /** Imported from a file; how that run ended is not known. */
    UNKNOWN
}
