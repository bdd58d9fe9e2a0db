package org.vmlat.os;

/** CLOCK_MONOTONIC in nanoseconds. */
public interface MonotonicClock {
    long nanoTime();

    /**
     * The system clock. HotSpot on Linux implements {@link System#nanoTime()} with
     * {@code clock_gettime(CLOCK_MONOTONIC)} through the vDSO: the same clock and cost as
     * cyclictest's, with no native transition (a test checks the two agree).
     */
    MonotonicClock SYSTEM = System::nanoTime;
}
