package org.vmlat.os;

import java.util.Locale;

/** The scheduling policies the probe threads can run under ({@code --policy}). */
public enum SchedPolicy {
    FIFO(LibC.SCHED_FIFO), RR(LibC.SCHED_RR), OTHER(LibC.SCHED_OTHER);

    public final int value;

    SchedPolicy(int value) {
        this.value = value;
    }

    public boolean realtime() {
        return this != OTHER;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SchedPolicy of(int value) {
        for (SchedPolicy p : values()) if (p.value == value) return p;
        throw new IllegalArgumentException("unknown scheduling policy " + value);
    }
}
