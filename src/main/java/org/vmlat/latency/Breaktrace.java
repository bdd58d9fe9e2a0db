package org.vmlat.latency;

/**
 * Where a break-trace threshold was crossed: the first activation whose latency exceeded it.
 *
 * <p>A source reports what it knows: cyclictest prints only the thread ({@code # Break thread:
 * TID}, mapped to its index) and the value ({@code # Break value:}), so its cycle and wake-up time
 * are -1, meaning unknown; outputs leave unknown fields out rather than print -1.
 *
 * @param thresholdNs the {@code -b} threshold
 * @param thread      the thread that saw it, -1 when unknown
 * @param cycle       its 0-based activation index, -1 when unknown
 * @param latencyNs   the latency that crossed the threshold
 * @param expectedNs  the intended wake-up time on CLOCK_MONOTONIC (ns), -1 when unknown
 */
public record Breaktrace(long thresholdNs, int thread, long cycle, long latencyNs, long expectedNs) {}
