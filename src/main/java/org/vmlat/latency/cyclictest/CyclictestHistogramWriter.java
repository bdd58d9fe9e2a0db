package org.vmlat.latency.cyclictest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.ThreadResult;

/**
 * Writes results as a cyclictest {@code -h} block (rt-tests 2.7+ layout: zero rows omitted, no
 * Total), so scripts and plots made for cyclictest work on vmlat's measurements. Buckets are
 * 1 us wide, values truncated to whole microseconds like cyclictest; samples at or above
 * {@code maxUs} are overflows.
 */
public final class CyclictestHistogramWriter {
    private CyclictestHistogramWriter() {}

    public static String write(List<ThreadResult> threads, int maxUs) {
        int n = threads.size();
        // only the occupied buckets, in order: a dense table of maxUs rows per thread took 800 MB
        // per thread at -h 100s, while HdrHistogram holds at most a few thousand distinct values
        TreeMap<Long, long[]> counts = new TreeMap<>();
        long[] overflows = new long[n];
        for (int t = 0; t < n; t++) {
            ThreadResult r = threads.get(t);
            for (Map.Entry<Long, Long> e : microseconds(r).entrySet()) {
                if (e.getKey() < maxUs) counts.computeIfAbsent(e.getKey(), k -> new long[n])[t] += e.getValue();
                else overflows[t] += e.getValue();
            }
            overflows[t] += r.histogramOverflows();
        }
        StringBuilder sb = new StringBuilder("# Histogram\n");
        for (Map.Entry<Long, long[]> row : counts.entrySet()) {
            long[] c = row.getValue();
            boolean any = false;
            for (int t = 0; t < n; t++) any |= c[t] != 0;
            if (!any) continue;
            sb.append(String.format(Locale.ROOT, "%06d ", row.getKey()));
            for (int t = 0; t < n; t++) sb.append(t == 0 ? "" : "\t").append(String.format(Locale.ROOT, "%06d", c[t]));
            sb.append('\n');
        }
        line(sb, "# Min Latencies:", threads, r -> r.minNs() / 1000);
        line(sb, "# Avg Latencies:", threads, r -> r.count() == 0 ? 0 : (long) (r.meanNs() / 1000));
        line(sb, "# Max Latencies:", threads, r -> r.maxNs() / 1000);
        sb.append("# Histogram Overflows:");
        for (long o : overflows) sb.append(String.format(Locale.ROOT, " %05d", o));
        sb.append("\n# Histogram Overflow at cycle number:\n");
        for (int t = 0; t < n; t++) sb.append("# Thread ").append(t).append(":\n");
        // cyclictest ends the block with an empty line
        return sb.append('\n').toString();
    }

    /**
     * The thread's histogram in cyclictest's 1 us buckets (bucket to count, ascending): whole-us
     * sources give back their exact values; ns sources are truncated like cyclictest (within
     * HdrHistogram's 0.1 % bucket precision). Overflows the source counted are not in it.
     */
    public static TreeMap<Long, Long> microseconds(ThreadResult r) {
        TreeMap<Long, Long> out = new TreeMap<>();
        AbstractHistogram h = r.histogram();
        for (var v : h.recordedValues()) {
            long us = r.resolutionNs() >= 1000
                    ? Math.round(h.medianEquivalentValue(v.getValueIteratedTo()) / 1000.0)
                    : h.lowestEquivalentValue(v.getValueIteratedTo()) / 1000;
            out.merge(us, v.getCountAddedInThisIterationStep(), Long::sum);
        }
        return out;
    }

    private static void line(StringBuilder sb, String label, List<ThreadResult> threads,
                             java.util.function.ToLongFunction<ThreadResult> f) {
        sb.append(label);
        for (ThreadResult r : threads) sb.append(String.format(Locale.ROOT, " %05d", f.applyAsLong(r)));
        sb.append('\n');
    }
}
