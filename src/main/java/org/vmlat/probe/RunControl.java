package org.vmlat.probe;

import org.vmlat.latency.StopReason;

/** Lets another thread (a signal handler, a test, the lab) stop a running probe early. */
public final class RunControl {
    private volatile StopReason stopReason;

    public void requestStop(StopReason reason) {
        if (stopReason == null) stopReason = reason;
    }

    public boolean stopRequested() {
        return stopReason != null;
    }

    /** Why it was stopped early, or null. */
    public StopReason stopReason() {
        return stopReason;
    }
}
