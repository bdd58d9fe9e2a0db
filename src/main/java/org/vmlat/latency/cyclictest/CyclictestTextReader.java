package org.vmlat.latency.cyclictest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.ThreadResult;

/**
 * Reads cyclictest's text output in one streaming pass: {@code T:} summary lines, {@code -h}
 * histogram blocks of both layouts (see {@link CyclictestFormat}) and {@code -v} per-sample lines.
 * Memory stays constant in the number of samples: verbose samples go straight into per-thread
 * histograms, only histogram rows (bounded by {@code -h}) are held until the block's end.
 *
 * <p>The per-thread count, min, max and mean are those cyclictest printed: from the histogram
 * block when there is one ({@code # Min/Avg/Max Latencies}, count = bucket sum + overflows: the
 * block is printed after the threads stopped, while the last live {@code T:} line can lag it by
 * the samples of cyclictest's shutdown), else from the last {@code T:} line of each thread, else
 * computed from the verbose samples. The mean cyclictest prints is truncated to its unit; it is
 * kept as printed.
 */
public final class CyclictestTextReader {
    /** Terminal escapes of cyclictest's live output (cursor up, clear line). */
    public static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    /** A summary line; groups: thread, tid, priority, interval, cycles, min, act, avg, max. */
    public static final Pattern T_LINE = Pattern.compile(
            "T:\\s*(\\d+)\\s*\\(\\s*(\\d+)\\)\\s*P:\\s*(\\d+)\\s*I:\\s*(\\d+)\\s*C:\\s*(\\d+)\\s*"
                    + "Min:\\s*(-?\\d+)\\s*Act:\\s*(-?\\d+)\\s*Avg:\\s*(-?\\d+)\\s*Max:\\s*(-?\\d+).*");
    private static final Pattern VERBOSE = Pattern.compile("\\s*(\\d+):\\s*(\\d+):\\s*(-?\\d+)\\s*");
    private static final Pattern USING_CPU = Pattern.compile("Thread (\\d+) using cpu (\\d+)\\.");
    private static final Pattern BUCKET_ROW = Pattern.compile("(\\d{6,})((?:\\s+\\d+)+)\\s*");
    private static final Pattern OVERFLOW_CYCLES = Pattern.compile("# Thread (\\d+):(.*)");

    private final String source;
    private final long unitNs;
    private final int spikeCapacity;

    /**
     * The Act and Avg fields of a T: line with their padding. cyclictest prints them {@code %5ld}
     * in microseconds and {@code %8ld} with {@code -N} (ns), so a field 8 or more characters wide
     * is ns output (a us value would need 10 s to fill it) and a narrower one us output.
     */
    private static final Pattern T_FIELD_WIDTHS = Pattern.compile(".*Act:(\\s*-?\\d+)\\s+Avg:(\\s*-?\\d+).*");

    /**
     * A parsed text output. {@code breakTid}/{@code breakValue} come from {@code -b}'s
     * "# Break thread/value" lines (-1 when absent); {@code breakThread} maps that tid to a thread
     * index through "# Thread Ids" or the T: lines (-1 when unknown). {@code tLineUnitNs} is the
     * unit the T: lines' field widths show (1 for ns, 1000 for us, 0 without T: lines) and
     * {@code tLineUnitLine} the line that showed it.
     */
    public record Parsed(List<ThreadResult> threads, CyclictestFormat format, Map<Integer, Integer> priorities,
                         Map<Integer, List<Long>> overflowCycles, boolean histogramHadTotal,
                         long breakTid, long breakValue, int breakThread, long tLineUnitNs, long tLineUnitLine) {}

    /** The unit shown by the field widths of one T: line (1 = ns, 1000 = us), 0 when not a T: line. */
    public static long unitOfSummaryLine(String line) {
        Matcher m = T_FIELD_WIDTHS.matcher(line);
        if (!m.matches()) return 0;
        return m.group(1).length() >= 8 || m.group(2).length() >= 8 ? 1 : 1000;
    }

    private record TLine(int thread, int tid, int prio, long interval, long cycles, long min, long avg, long max) {}

    /**
     * @param source        name used in error messages (usually the file name)
     * @param unitNs        1000 for cyclictest's default microseconds, 1 for {@code -N}
     * @param spikeCapacity how many of the worst samples to keep per thread (verbose input only)
     */
    public CyclictestTextReader(String source, long unitNs, int spikeCapacity) {
        this.source = source;
        this.unitNs = unitNs;
        this.spikeCapacity = spikeCapacity;
    }

    public Parsed read(BufferedReader in) {
        Map<Integer, TLine> tLines = new TreeMap<>();
        Map<Integer, ThreadAccumulator> verbose = new TreeMap<>();
        Map<Integer, Integer> cpus = new TreeMap<>();
        List<long[]> rows = new ArrayList<>();
        long[] total = null, minL = null, avgL = null, maxL = null, ovf = null;
        Map<Integer, List<Long>> overflowCycles = new TreeMap<>();
        boolean inHistogram = false;
        long lineNo = 0;
        long breakTid = -1, breakValue = -1;
        long[] tids = null;
        long tLineUnitNs = 0, tLineUnitLine = 0;
        try {
            String raw;
            while ((raw = in.readLine()) != null) {
                lineNo++;
                String line = raw.indexOf('\u001B') >= 0 ? ESCAPES.matcher(raw).replaceAll("") : raw;
                line = line.strip();
                if (line.isEmpty()) continue;
                Matcher m;
                if (line.startsWith("T:")) {
                    m = T_LINE.matcher(line);
                    if (!m.matches()) {
                        throw new FormatException(source, lineNo, "T:", "unrecognised summary line \"" + line + "\"");
                    }
                    TLine t = new TLine(i(m, 1, lineNo, "T"), i(m, 2, lineNo, "tid"), i(m, 3, lineNo, "P"),
                            l(m, 4, lineNo, "I"), l(m, 5, lineNo, "C"), l(m, 6, lineNo, "Min"),
                            l(m, 8, lineNo, "Avg"), l(m, 9, lineNo, "Max"));
                    tLines.put(t.thread, t);
                    long unit = unitOfSummaryLine(line);
                    if (unit != 0 && (tLineUnitNs == 0 || unit == 1)) {
                        if (tLineUnitNs != unit) tLineUnitLine = lineNo;
                        tLineUnitNs = unit;
                    }
                } else if (line.equals("# Histogram")) {
                    inHistogram = true;
                } else if (line.startsWith("# Total:")) {
                    total = numbers(line, "# Total:", lineNo);
                } else if (line.startsWith("# Min Latencies:")) {
                    minL = numbers(line, "# Min Latencies:", lineNo);
                } else if (line.startsWith("# Avg Latencies:")) {
                    avgL = numbers(line, "# Avg Latencies:", lineNo);
                } else if (line.startsWith("# Max Latencies:")) {
                    maxL = numbers(line, "# Max Latencies:", lineNo);
                } else if (line.startsWith("# Histogram Overflows:")) {
                    ovf = numbers(line, "# Histogram Overflows:", lineNo);
                } else if (line.startsWith("# Thread Ids:")) {
                    tids = numbers(line, "# Thread Ids:", lineNo);
                } else if (line.startsWith("# Break thread:")) {
                    breakTid = numbers(line, "# Break thread:", lineNo)[0];
                } else if (line.startsWith("# Break value:")) {
                    breakValue = numbers(line, "# Break value:", lineNo)[0];
                } else if ((m = OVERFLOW_CYCLES.matcher(line)).matches()) {
                    int t = i(m, 1, lineNo, "# Thread");
                    List<Long> cycles = new ArrayList<>();
                    String rest = m.group(2);
                    int others = rest.indexOf('#');
                    if (others >= 0) rest = rest.substring(0, others);
                    for (String c : rest.trim().split("\\s+")) {
                        if (!c.isEmpty()) cycles.add(parseLong(c, lineNo, "# Thread " + t));
                    }
                    overflowCycles.put(t, cycles);
                } else if (line.startsWith("#")) {
                    // other comments (e.g. "# /dev/cpu_dma_latency set to 0us")
                } else if (inHistogram && (m = BUCKET_ROW.matcher(line)).matches()) {
                    String[] cols = m.group(2).trim().split("\\s+");
                    long[] row = new long[cols.length + 1];
                    row[0] = parseLong(m.group(1), lineNo, "bucket");
                    for (int k = 0; k < cols.length; k++) row[k + 1] = parseLong(cols[k], lineNo, "count");
                    if (!rows.isEmpty() && rows.get(0).length != row.length) {
                        throw new FormatException(source, lineNo, "bucket " + row[0],
                                "expected " + (rows.get(0).length - 1) + " counts, got " + cols.length);
                    }
                    rows.add(row);
                } else if ((m = VERBOSE.matcher(line)).matches()) {
                    int t = i(m, 1, lineNo, "thread");
                    verbose.computeIfAbsent(t, k -> new ThreadAccumulator(k, unitNs, spikeCapacity))
                            .sample(l(m, 2, lineNo, "cycle"), l(m, 3, lineNo, "value"));
                } else if ((m = USING_CPU.matcher(line)).matches()) {
                    cpus.put(i(m, 1, lineNo, "thread"), i(m, 2, lineNo, "cpu"));
                }
                // anything else (policy/loadavg status lines, "Max CPUs = 2", warnings) carries no data
            }
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }

        Map<Integer, Integer> prios = new TreeMap<>();
        tLines.values().forEach(t -> prios.put(t.thread, t.prio));
        int breakThread = -1;
        if (breakTid >= 0) {
            for (TLine t : tLines.values()) if (t.tid == breakTid) breakThread = t.thread;
            if (tids != null) for (int k = 0; k < tids.length; k++) if (tids[k] == breakTid) breakThread = k;
        }
        List<ThreadResult> out = new ArrayList<>();
        CyclictestFormat format;
        if (minL != null) {
            format = CyclictestFormat.HISTOGRAM;
            int n = minL.length;
            require(avgL, n, "# Avg Latencies", lineNo);
            require(maxL, n, "# Max Latencies", lineNo);
            require(ovf, n, "# Histogram Overflows", lineNo);
            long[] sums = new long[n];
            for (long[] row : rows) {
                if (row.length - 1 != n && row.length - 1 != n + 1) {
                    throw new FormatException(source, 0, "bucket " + row[0],
                            "has " + (row.length - 1) + " counts for " + n + " threads");
                }
                for (int t = 0; t < n; t++) sums[t] += row[t + 1];
            }
            if (total != null) {
                require(total, n, "# Total", lineNo);
                for (int t = 0; t < n; t++) {
                    if (total[t] != sums[t]) {
                        throw new FormatException(source, 0, "# Total",
                                "thread " + t + ": buckets add up to " + sums[t] + ", Total says " + total[t]);
                    }
                }
            }
            for (int t = 0; t < n; t++) {
                ThreadAccumulator acc = new ThreadAccumulator(t, unitNs, 0);
                for (long[] row : rows) acc.bucket(row[0], row[t + 1]);
                TLine tl = tLines.get(t);
                // the block is printed after the threads stopped; the last live T: line up to
                // ~60 ms earlier (cyclictest keeps measuring while it shuts down), so its count,
                // min, mean and max can lag the histogram: the block's own figures win
                acc.overflows = ovf[t];
                acc.count = sums[t] + ovf[t];
                acc.min = minL[t] * unitNs;
                acc.max = maxL[t] * unitNs;
                acc.sum = avgL[t] * unitNs * acc.count;
                acc.intervalNs = tl != null ? tl.interval * 1000 : 0;
                acc.cpu = cpus.getOrDefault(t, -1);
                out.add(acc.build());
            }
            return new Parsed(out, format, prios, overflowCycles, total != null, breakTid, breakValue, breakThread, tLineUnitNs, tLineUnitLine);
        }
        if (!verbose.isEmpty()) {
            for (ThreadAccumulator acc : verbose.values()) {
                acc.cpu = cpus.getOrDefault(acc.thread, -1);
                out.add(acc.build());
            }
            return new Parsed(out, CyclictestFormat.VERBOSE, prios, overflowCycles, false, breakTid, breakValue, breakThread, tLineUnitNs, tLineUnitLine);
        }
        if (!tLines.isEmpty()) {
            for (TLine t : tLines.values()) {
                ThreadAccumulator acc = new ThreadAccumulator(t.thread, unitNs, 0);
                acc.count = t.cycles;
                acc.min = t.min * unitNs;
                acc.max = t.max * unitNs;
                acc.sum = t.avg * unitNs * t.cycles;
                acc.intervalNs = t.interval * 1000;
                acc.cpu = cpus.getOrDefault(t.thread, -1);
                out.add(acc.build());
            }
            return new Parsed(out, CyclictestFormat.SUMMARY, prios, overflowCycles, false, breakTid, breakValue, breakThread, tLineUnitNs, tLineUnitLine);
        }
        throw new FormatException(source, 0, null,
                "no cyclictest results found (expected T: lines, a # Histogram block or -v samples)");
    }

    private void require(long[] values, int n, String field, long lineNo) {
        if (values == null) throw new FormatException(source, lineNo, field, "line missing from histogram block");
        if (values.length < n) {
            throw new FormatException(source, 0, field, "expected " + n + " values, got " + values.length);
        }
    }

    private long[] numbers(String line, String prefix, long lineNo) {
        String[] parts = line.substring(prefix.length()).trim().split("\\s+");
        if (parts.length == 1 && parts[0].isEmpty()) {
            if (prefix.startsWith("# Break")) throw new FormatException(source, lineNo, prefix.substring(2, prefix.length() - 1), "value missing");
            return new long[0];
        }
        long[] v = new long[parts.length];
        for (int k = 0; k < parts.length; k++) v[k] = parseLong(parts[k], lineNo, prefix.substring(2, prefix.length() - 1));
        return v;
    }

    private long parseLong(String s, long lineNo, String field) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new FormatException(source, lineNo, field, "expected an integer, got \"" + s + "\"");
        }
    }

    private long l(Matcher m, int g, long lineNo, String field) {
        return parseLong(m.group(g), lineNo, field);
    }

    private int i(Matcher m, int g, long lineNo, String field) {
        long v = parseLong(m.group(g), lineNo, field);
        if (v > Integer.MAX_VALUE) throw new FormatException(source, lineNo, field, "value too large: " + v);
        return (int) v;
    }
}
