package org.vmlat.os;

/** Sleeps until an absolute CLOCK_MONOTONIC time. One instance per thread. */
public interface Sleeper {
    /** @return 0, or the errno value of a failed sleep (EINTR is retried, never returned) */
    int sleepUntil(long monotonicNs);
}
