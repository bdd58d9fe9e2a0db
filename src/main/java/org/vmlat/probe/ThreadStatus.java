package org.vmlat.probe;

/** A live view of one measuring thread, as on cyclictest's {@code T:} line. */
public record ThreadStatus(int thread, int tid, int cpu, int priority, long intervalNs, long count,
                           long minNs, long lastNs, double meanNs, long maxNs, long overruns) {}
