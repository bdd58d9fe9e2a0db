package org.vmlat.probe.builtin;

import org.vmlat.os.MonotonicClock;
import org.vmlat.os.Sleeper;

/**
 * A clock and sleeper that never wait: each sleep "wakes" at the deadline plus a pseudo-random
 * latency. Used to warm up the JIT on the real loop code before anything is measured, with
 * latencies chosen so that every branch (new minimum, new maximum, spike replacement, overruns,
 * out-of-range values) is taken during warm-up and none is first taken while measuring, which
 * would deoptimise the compiled loop.
 */
final class SyntheticTimeline implements MonotonicClock, Sleeper {
    private final long intervalNs;
    private long now;
    private long seed = 0x9E3779B97F4A7C15L;

    SyntheticTimeline(long intervalNs) {
        this.intervalNs = intervalNs;
    }

    @Override
    public int sleepUntil(long deadlineNs) {
        seed ^= seed << 13;
        seed ^= seed >>> 7;
        seed ^= seed << 17;
        long r = seed & 0xffff;
        long latency;
        if (r < 4) latency = intervalNs * (2 + (r & 1));          // overrun
        else if (r < 6) latency = Long.MAX_VALUE / 4;             // beyond the histogram
        else if (r < 8) latency = -1;                             // early (clock skew)
        else latency = r * 7;                                     // ordinary
        now = latency == Long.MAX_VALUE / 4 ? deadlineNs + (1L << 42) : deadlineNs + latency;
        return 0;
    }

    @Override
    public long nanoTime() {
        return now;
    }
}
