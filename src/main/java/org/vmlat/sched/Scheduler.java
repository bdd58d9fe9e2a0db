package org.vmlat.sched;

/** Uniprocessor scheduling policies vmlat analyses. */
public enum Scheduler {
    /** Preemptive fixed priority (SCHED_FIFO). */
    FP,
    /** Preemptive earliest deadline first (SCHED_DEADLINE). */
    EDF
}
