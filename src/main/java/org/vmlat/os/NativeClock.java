package org.vmlat.os;

import com.sun.jna.Memory;

/**
 * {@code clock_gettime} on any Linux clock (CLOCK_REALTIME for cyclictest's {@code -c 1}), into a
 * timespec allocated once: no allocation per reading. Not thread-safe: one per measuring thread.
 * CLOCK_MONOTONIC is cheaper through {@link MonotonicClock#SYSTEM}.
 */
public final class NativeClock implements MonotonicClock {
    private final int clockId;
    private final Memory timespec = new Memory(16);

    public NativeClock(int clockId) {
        this.clockId = clockId;
    }

    @Override
    public long nanoTime() {
        LibC.clock_gettime(clockId, timespec);
        return timespec.getLong(0) * 1_000_000_000L + timespec.getLong(8);
    }
}
