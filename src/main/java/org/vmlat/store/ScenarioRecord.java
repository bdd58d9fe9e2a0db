package org.vmlat.store;

import java.util.List;
import java.util.Map;
import org.vmlat.latency.ThreadSummary;

/**
 * One stored scenario: its place in the matrix, how it went, and its per-thread results.
 *
 * @param dims     the scenario's value for every plan dimension (target, probe, interval, load, ...)
 * @param status   where it stands; results of earlier attempts are kept ({@link ResultStore#attempts})
 * @param threads  per-thread summaries of its latest attempt: final when done, the last snapshot
 *                 otherwise (histograms: {@link ResultStore#threadResults})
 */
public record ScenarioRecord(long id, long runId, int index, Map<String, String> dims, ScenarioStatus status, String reason,
                             long startedMs, long endedMs, long durationNs, String probeCommand, String loadCommands,
                             Map<String, String> settings, List<String> warnings, boolean realtime,
                             List<ThreadSummary> threads) {

    public long maxNs() {
        return threads.stream().filter(t -> t.count() > 0).mapToLong(ThreadSummary::maxNs).max().orElse(-1);
    }

    public long count() {
        return threads.stream().mapToLong(ThreadSummary::count).sum();
    }

    public long overruns() {
        return threads.stream().mapToLong(t -> Math.max(0, t.overruns())).sum();
    }
}
