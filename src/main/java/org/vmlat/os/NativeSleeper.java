package org.vmlat.os;

import com.sun.jna.Memory;

/**
 * {@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ...)}, as cyclictest's default mode.
 * The timespec is allocated once and held in a field, so the loop allocates nothing and the
 * kernel never sees freed memory. Not thread-safe: one per measuring thread.
 */
public final class NativeSleeper implements Sleeper {
    private static final long NS_PER_S = 1_000_000_000L;
    private final Memory timespec = new Memory(16);

    @Override
    public int sleepUntil(long monotonicNs) {
        timespec.setLong(0, monotonicNs / NS_PER_S);
        timespec.setLong(8, monotonicNs % NS_PER_S);
        int rc;
        do {
            rc = LibC.clock_nanosleep(LibC.CLOCK_MONOTONIC, LibC.TIMER_ABSTIME, timespec, null);
        } while (rc == LibC.EINTR);
        return rc;
    }
}
