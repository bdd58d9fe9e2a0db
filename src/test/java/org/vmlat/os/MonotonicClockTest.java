package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Memory;
import org.junit.jupiter.api.Test;

/** The builtin probe relies on System.nanoTime being CLOCK_MONOTONIC, the clock it sleeps on. */
class MonotonicClockTest {
    @Test
    void systemNanoTimeIsClockMonotonic() {
        Memory ts = new Memory(16);
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 1000; i++) {
            long a = System.nanoTime();
            LibC.clock_gettime(LibC.CLOCK_MONOTONIC, ts);
            long b = System.nanoTime();
            long mono = ts.getLong(0) * 1_000_000_000L + ts.getLong(8);
            assertThat(mono).isBetween(a, b);
            best = Math.min(best, b - a);
        }
        assertThat(best).isLessThan(1_000_000);
    }

    @Test
    void nativeSleeperWakesAfterTheAbsoluteDeadline() {
        NativeSleeper s = new NativeSleeper();
        for (int i = 0; i < 20; i++) {
            long deadline = System.nanoTime() + 200_000;
            assertThat(s.sleepUntil(deadline)).isZero();
            assertThat(System.nanoTime()).isGreaterThanOrEqualTo(deadline);
        }
    }
}
