package org.vmlat.explain;

import java.util.List;

/**
 * The trace around one late wake-up of a probe thread, as the recorder cut it out: from before the timer was
 * armed to after the thread was switched in.
 *
 * @param tid              the probe thread's id
 * @param expiresNs        the timer's expiry, the intended wake-up on CLOCK_MONOTONIC
 * @param kernelLatencyNs  switch-in minus expiry as the trace saw it (the probe's latency less the return to user space)
 * @param events           the events in time order; it may begin with the last task switch on each CPU before the
 *                         window (who was running when it opened)
 * @param lostEvents       events the kernel's ring buffer overwrote before they were read while the window was open
 *                         (tracefs's {@code [LOST N EVENTS]}): the window has a hole, its explanation may miss a context
 */
public record TraceWindow(int tid, long expiresNs, long kernelLatencyNs, List<TraceEvent> events, long lostEvents) {
    public TraceWindow {
        if (tid <= 0) throw new IllegalArgumentException("tid must be > 0, got " + tid);
        if (kernelLatencyNs < 0) throw new IllegalArgumentException("kernelLatencyNs must be >= 0, got " + kernelLatencyNs);
        if (lostEvents < 0) throw new IllegalArgumentException("lostEvents must be >= 0, got " + lostEvents);
        events = List.copyOf(events);
    }

    /** A window read whole. */
    public TraceWindow(int tid, long expiresNs, long kernelLatencyNs, List<TraceEvent> events) {
        this(tid, expiresNs, kernelLatencyNs, events, 0);
    }
}
