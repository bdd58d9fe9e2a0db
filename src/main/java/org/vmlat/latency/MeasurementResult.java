package org.vmlat.latency;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One probe run: per-thread results plus everything needed to know what was measured.
 *
 * @param engine            "builtin", "cyclictest", or "cyclictest-import"
 * @param settings          the exact settings, as stable string keys (policy, priority,
 *                          interval_ns, ..., command line); sorted for deterministic output
 * @param system            system facts at measurement time (kernel, preemption model, ...)
 * @param realtime          false when the threads did not run under a real-time policy
 *                          (SCHED_OTHER requested, or {@code --allow-nonrt} after a refusal);
 *                          every report shows it
 * @param startEpochMs      wall-clock start (metadata only)
 * @param endEpochMs        wall-clock end (metadata only)
 * @param startMonotonicNs  CLOCK_MONOTONIC at the first measured activation, to map spike
 *                          timestamps onto kernel traces; -1 when unknown
 * @param warnings          things a reader of the numbers must know (e.g. JVM pauses seen)
 */
public record MeasurementResult(
        String engine,
        Map<String, String> settings,
        Map<String, String> system,
        boolean realtime,
        List<ThreadResult> threads,
        long startEpochMs,
        long endEpochMs,
        long startMonotonicNs,
        StopReason stopReason,
        Optional<Breaktrace> breaktrace,
        List<String> warnings) {

    public MeasurementResult {
        settings = Collections.unmodifiableMap(new TreeMap<>(settings));
        system = Collections.unmodifiableMap(new TreeMap<>(system));
        threads = List.copyOf(threads);
        warnings = List.copyOf(warnings);
        if (engine == null || engine.isBlank()) throw new IllegalArgumentException("engine must be set");
    }

    /** Largest latency over all threads, ns (0 without samples). */
    public long maxNs() {
        return threads.stream().filter(t -> t.count() > 0).mapToLong(ThreadResult::maxNs).max().orElse(0);
    }
}
