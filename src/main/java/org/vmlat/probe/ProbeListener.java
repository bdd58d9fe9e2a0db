package org.vmlat.probe;

import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What a running probe tells the outside, at most about once a second. Called from the probe's
 * coordinating thread, never from a measuring thread. All methods default to doing nothing.
 */
public interface ProbeListener {
    /** Measurement begins (setup and warm-up are done). */
    default void started(long startEpochMs) {}

    default void status(List<ThreadStatus> threads) {}

    /**
     * The samples of one thread recorded since the previous call, for interval logs. The
     * histogram is reused after the call returns: copy what must be kept.
     */
    default void interval(int thread, long startEpochMs, long endEpochMs, Histogram samples) {}

    default void warning(String message) {}

    ProbeListener NONE = new ProbeListener() {};
}
