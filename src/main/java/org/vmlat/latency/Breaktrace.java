package org.vmlat.latency;

/**
 * Where a break-trace threshold was crossed: the first activation whose latency exceeded it.
 *
 * @param thresholdNs the {@code -b} threshold
 * @param thread      the thread that saw it
 * @param cycle       its 0-based activation index
 * @param latencyNs   the latency that crossed the threshold
 * @param expectedNs  the intended wake-up time on CLOCK_MONOTONIC (ns), -1 when unknown
 */
public record Breaktrace(long thresholdNs, int thread, long cycle, long latencyNs, long expectedNs) {}
