package org.vmlat.os;

import com.sun.jna.Memory;

/**
 * {@code clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, ...)}, as cyclictest's default mode, or on
 * another clock (cyclictest's {@code -c}).
 * The timespec is allocated once and held in a field, so the loop allocates nothing and the
 * kernel never sees freed memory. Not thread-safe: one per measuring thread.
 */
public final class NativeSleeper implements Sleeper {
    private static final long NS_PER_S = 1_000_000_000L;
    private final Memory timespec = new Memory(16);
    private final int clockId;

    public NativeSleeper() {
        this(LibC.CLOCK_MONOTONIC);
    }

    public NativeSleeper(int clockId) {
        this.clockId = clockId;
    }

    @Override
    public int sleepUntil(long monotonicNs) {
        timespec.setLong(0, monotonicNs / NS_PER_S);
        timespec.setLong(8, monotonicNs % NS_PER_S);
        int rc;
        do {
            rc = LibC.clock_nanosleep(clockId, LibC.TIMER_ABSTIME, timespec, null);
        } while (rc == LibC.EINTR);
        return rc;
    }
}
