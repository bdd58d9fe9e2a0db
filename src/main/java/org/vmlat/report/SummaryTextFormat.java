package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.Percentiles;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;

/** The final per-thread table of {@code vmlat measure} and {@code vmlat import}, in microseconds or nanoseconds. */
public final class SummaryTextFormat {
    private SummaryTextFormat() {}

    public static String write(MeasurementResult r, int spikesToShow) {
        return write(r, spikesToShow, LatencyUnit.US);
    }

    public static String write(MeasurementResult r, int spikesToShow, LatencyUnit unit) {
        List<String> header = new ArrayList<>(List.of("T", "CPU", "I(us)", "count", "overruns", "min"));
        for (double p : Percentiles.STANDARD) header.add(Percentiles.label(p));
        header.add("max");
        header.add("mean");
        List<List<String>> rows = new ArrayList<>();
        for (ThreadResult t : r.threads()) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(t.thread()));
            row.add(t.cpu() < 0 ? "-" : Integer.toString(t.cpu()));
            row.add(t.intervalNs() == 0 ? "?" : Micros.of(t.intervalNs()).replace(".0", ""));
            row.add(Long.toString(t.count()));
            row.add(t.overruns() < 0 ? "?" : Long.toString(t.overruns()));
            row.add(unit.of(t.minNs()));
            for (double p : Percentiles.STANDARD) row.add(unit.of(t.percentileNs(p)));
            row.add(unit.of(t.maxNs()));
            row.add(unit.of(t.meanNs()));
            rows.add(row);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(Table.render(header, rows));
        sb.append("Latencies in ").append(unit.label).append(" (wake-up minus intended wake-up).");
        if (r.threads().stream().anyMatch(t -> t.resolutionNs() >= 1000)) {
            sb.append(" Source resolution 1 us: values are truncated to whole microseconds.");
        }
        sb.append('\n');
        if (!r.realtime()) sb.append("NON-RT: this result was not measured under a real-time policy with locked memory.\n");
        if (spikesToShow > 0) {
            List<String[]> worst = new ArrayList<>();
            for (ThreadResult t : r.threads()) {
                for (Spike s : t.spikes()) worst.add(new String[] {Long.toString(s.latencyNs()), Integer.toString(t.thread()),
                        Long.toString(s.cycle()), Long.toString(s.expectedNs())});
            }
            worst.sort((a, b) -> Long.compare(Long.parseLong(b[0]), Long.parseLong(a[0])));
            if (!worst.isEmpty()) {
                sb.append("Worst wake-ups:");
                for (int i = 0; i < Math.min(spikesToShow, worst.size()); i++) {
                    String[] w = worst.get(i);
                    long expected = Long.parseLong(w[3]);
                    sb.append(String.format(Locale.ROOT, " T%s#%s %s%s%s;", w[1], w[2], unit.of(Long.parseLong(w[0])), unit.label,
                            expected >= 0 && r.startMonotonicNs() >= 0
                                    ? String.format(Locale.ROOT, " @%.6fs", (expected - r.startMonotonicNs()) / 1e9) : ""));
                }
                sb.setLength(sb.length() - 1);
                sb.append('\n');
            }
        }
        r.breaktrace().ifPresent(b -> {
            // fields a source does not report (cyclictest gives only the thread and the value) are left out
            List<String> where = new ArrayList<>();
            if (b.thread() >= 0) where.add("thread " + b.thread());
            if (b.cycle() >= 0) where.add("cycle " + b.cycle());
            sb.append("Break trace").append(where.isEmpty() ? "" : ": " + String.join(", ", where))
                    .append(String.format(Locale.ROOT, ": latency %s %s > threshold %s %s", unit.of(b.latencyNs()), unit.label,
                            unit.of(b.thresholdNs()), unit.label));
            if (b.expectedNs() >= 0) sb.append(String.format(Locale.ROOT, " (CLOCK_MONOTONIC %d ns)", b.expectedNs()));
            sb.append('\n');
        });
        for (String w : r.warnings()) sb.append("warning: ").append(w).append('\n');
        return sb.toString();
    }
}
