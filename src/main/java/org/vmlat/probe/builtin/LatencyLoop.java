package org.vmlat.probe.builtin;

import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.SingleWriterRecorder;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.os.MonotonicClock;
import org.vmlat.os.Sleeper;
import org.vmlat.probe.RunControl;

/**
 * The measuring loop of one thread: sleep until an absolute deadline on CLOCK_MONOTONIC, read the
 * clock, record {@code now - deadline}, advance the deadline by one period.
 *
 * <p>Everything is allocated in the constructor; {@link #measure} allocates nothing (a test checks
 * this with the thread's allocation counter). Values above the histogram's range go to a
 * primitive counter instead of throwing. When a wake-up comes after the next deadline, the missed
 * periods are counted as overruns and the loop resumes at the first deadline in the future, as
 * cyclictest does (no catch-up burst, no coordinated-omission correction).
 *
 * <p>Threading: {@link #measure} runs on the one measuring thread; the live counters are
 * published with release stores for the status printer; everything else is read after the
 * measuring thread has been joined.
 */
final class LatencyLoop {
    private final MonotonicClock clock;
    private final Sleeper sleeper;
    private final long intervalNs;
    private final long breaktraceNs;
    private final RunControl control;
    final SingleWriterRecorder recorder;
    final SpikeTable spikes;

    // live counters, single writer, read by the status printer
    final AtomicLong count = new AtomicLong();
    final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    final AtomicLong max = new AtomicLong();
    final AtomicLong sum = new AtomicLong();
    final AtomicLong last = new AtomicLong();
    final AtomicLong overruns = new AtomicLong();

    // read after join
    long outOfRange;
    long earlyWakeups;
    int sleepErrno;
    long breakCycle = -1;
    long breakLatencyNs;
    long breakExpectedNs;

    LatencyLoop(MonotonicClock clock, Sleeper sleeper, long intervalNs, long breaktraceNs, int spikes,
                RunControl control) {
        this.clock = clock;
        this.sleeper = sleeper;
        this.intervalNs = intervalNs;
        this.breaktraceNs = breaktraceNs;
        this.control = control;
        this.recorder = new SingleWriterRecorder(1, LatencyHistograms.HIGHEST_TRACKABLE_NS,
                LatencyHistograms.SIGNIFICANT_DIGITS);
        this.spikes = new SpikeTable(spikes);
    }

    Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Runs activations with deadlines {@code firstDeadlineNs + k * interval} until {@code endNs}
     * (exclusive; {@code Long.MAX_VALUE} for none), {@code maxCycles} activations, a break-trace
     * hit, a sleep error, or a stop request.
     *
     * @return the deadline following the last activation
     */
    long measure(long firstDeadlineNs, long endNs, long maxCycles) {
        final long interval = intervalNs;
        final long threshold = breaktraceNs;
        long next = firstDeadlineNs;
        long cycle = 0;
        long cMin = min.get(), cMax = max.get(), cSum = sum.get(), cOver = overruns.get();
        while (cycle < maxCycles && next < endNs && !control.stopRequested()) {
            int rc = sleeper.sleepUntil(next);
            if (rc != 0) {
                sleepErrno = rc;
                break;
            }
            long now = clock.nanoTime();
            long latency = now - next;
            if (latency < 0) {
                earlyWakeups++;
                latency = 0;
            }
            if (latency <= LatencyHistograms.HIGHEST_TRACKABLE_NS) {
                recorder.recordValue(latency);
            } else {
                outOfRange++;
            }
            if (latency < cMin) cMin = latency;
            if (latency > cMax) cMax = latency;
            cSum += latency;
            spikes.offer(latency, count.get(), next);
            min.lazySet(cMin);
            max.lazySet(cMax);
            sum.lazySet(cSum);
            last.lazySet(latency);
            count.lazySet(count.get() + 1);
            if (threshold > 0 && latency > threshold) {
                breakCycle = count.get() - 1;
                breakLatencyNs = latency;
                breakExpectedNs = next;
                break;
            }
            cycle++;
            next += interval;
            if (now > next) {
                long missed = (now - next) / interval + 1;
                cOver += missed;
                overruns.lazySet(cOver);
                next += missed * interval;
            }
        }
        return next;
    }
}
