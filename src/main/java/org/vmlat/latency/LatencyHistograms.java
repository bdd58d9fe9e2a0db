package org.vmlat.latency;

import org.HdrHistogram.Histogram;

/** The one histogram shape vmlat uses, so results from every source can be added and compared. */
public final class LatencyHistograms {
    /** 1 hour: anything longer is not a wake-up latency but a stopped machine. */
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    /** 3 significant digits: 0.1 % value precision over the whole range. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private LatencyHistograms() {}

    /** A fixed-range histogram (no auto-resize: recording must never allocate). */
    public static Histogram create() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }
}
