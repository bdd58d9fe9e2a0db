package org.vmlat.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a set of explained spikes (one scenario's, one measurement's) has in common: how much of their latency
 * each part holds, and the causes that took the most time over all of them.
 *
 * @param spikes     how many spikes were explained
 * @param latencyNs  the sum of their latencies
 * @param partNs     the sum of each part over the spikes, in the order of {@link Part}
 * @param topCauses  causes merged by part, kind, name and pid, most time first, with in how many spikes each ran
 */
public record ExplanationSummary(int spikes, long latencyNs, Map<Part, Long> partNs, List<TopCause> topCauses) {
    public record TopCause(Cause cause, int spikes) {}

    public ExplanationSummary {
        if (spikes < 0) throw new IllegalArgumentException("spikes must be >= 0, got " + spikes);
        partNs = Map.copyOf(partNs);
        topCauses = List.copyOf(topCauses);
    }

    /** The summary of {@code explained}, keeping the {@code top} causes that took most time. */
    public static ExplanationSummary of(List<SpikeExplanation> explained, int top) {
        long latency = 0;
        Map<Part, Long> parts = new LinkedHashMap<>();
        for (Part p : Part.values()) parts.put(p, 0L);
        Map<String, Cause> merged = new LinkedHashMap<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (SpikeExplanation s : explained) {
            latency += s.latencyNs();
            for (Part p : Part.values()) parts.merge(p, s.partNs(p), Long::sum);
            for (Cause c : s.causes()) {
                String key = c.part() + "|" + c.kind() + "|" + c.name() + "|" + c.pid();
                Cause had = merged.get(key);
                merged.put(key, had == null ? c : had.plus(c.durationNs()));
                seen.merge(key, 1, Integer::sum);
            }
        }
        List<TopCause> causes = new ArrayList<>();
        for (Map.Entry<String, Cause> e : merged.entrySet()) causes.add(new TopCause(e.getValue(), seen.get(e.getKey())));
        causes.sort(Comparator.comparingLong((TopCause t) -> t.cause().durationNs()).reversed());
        return new ExplanationSummary(explained.size(), latency, parts, causes.subList(0, Math.min(top, causes.size())));
    }

    /** The part's share of the attributed latency, 0..1; 0 when nothing was attributed. */
    public double share(Part part) {
        long total = 0;
        for (long v : partNs.values()) total += v;
        return total == 0 ? 0 : (double) partNs.get(part) / total;
    }
}
