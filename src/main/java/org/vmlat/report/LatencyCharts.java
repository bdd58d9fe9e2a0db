package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.stats.Distribution;
import org.vmlat.store.IntervalMax;
import org.vmlat.store.ScenarioRecord;

/**
 * The latency charts of a scenario in vmlat's one design ({@link Chart}): histogram, CCDF,
 * latency over time, and the CCDF overlay of a run. Each shows the worst case, labelled.
 */
final class LatencyCharts {
    /** Width growth of the histogram's bins on the log latency axis. */
    static final double BIN_FACTOR = 1.12;

    /** What a scenario's distribution charts need: the merged histogram and what the histogram may not hold. */
    record Samples(AbstractHistogram histogram, long resolutionNs, long maxNs, long overflows) {
        static Samples of(ScenarioRecord s, AbstractHistogram h) {
            long res = s.threads().stream().mapToLong(ThreadSummary::resolutionNs).max().orElse(1);
            long overflows = s.threads().stream().mapToLong(t -> Math.max(0, t.histogramOverflows())).sum();
            long max = Math.max(s.maxNs(), h.getTotalCount() == 0 ? -1 : h.getMaxValue());
            return new Samples(h, Math.max(1, res), max, overflows);
        }

        long total() {
            return histogram.getTotalCount() + overflows;
        }

        String maxLabel() {
            return "max " + Chart.latencyLabel(maxNs) + (overflows == 0 ? ""
                    : " (" + overflows + " beyond the histogram)");
        }
    }

    private LatencyCharts() {}

    static Chart histogram(String title, Samples s) {
        List<Distribution.Point> bins = Distribution.logBins(s.histogram(), BIN_FACTOR, s.resolutionNs());
        double maxCount = bins.stream().mapToDouble(Distribution.Point::y).max().orElse(1);
        double minX = bins.isEmpty() ? s.maxNs() : Math.max(bins.get(0).x2() / 2, bins.get(0).x());
        Chart c = new Chart(title, Chart.Axis.latency("latency", minX, Math.max(s.maxNs(), bins.isEmpty() ? 0 : bins.get(bins.size() - 1).x2())),
                Chart.Axis.count("samples per bin", maxCount));
        List<Chart.Bar> bars = new ArrayList<>();
        for (Distribution.Point p : bins) bars.add(new Chart.Bar(Math.max(p.x(), c.xAxis().lo()), p.x2(), p.y()));
        return c.bars(bars, Chart.COLORS[0]).max(s.maxNs(), Double.NaN, s.maxLabel());
    }

    static Chart ccdf(String title, Samples s) {
        List<Distribution.Point> pts = HtmlReport.thin(Distribution.ccdf(s.histogram(), s.overflows(), s.maxNs()), 400);
        Chart c = new Chart(title, Chart.Axis.latency("latency", pts.get(0).x(), s.maxNs()),
                Chart.Axis.fraction("fraction of samples ≥ latency", 1.0 / s.total()));
        return c.line(new Chart.Line("ccdf", xy(pts), Chart.COLORS[0], "c", false))
                .max(s.maxNs(), 1.0 / s.total(), s.maxLabel());
    }

    /** Every scenario's CCDF on one chart, coloured as listed; the worst of all is marked. */
    static Chart overlay(String title, List<String> labels, List<Samples> all) {
        double minX = Double.MAX_VALUE, maxX = 0, minY = 1;
        List<Chart.Line> lines = new ArrayList<>();
        Samples worst = null;
        for (int i = 0; i < all.size(); i++) {
            Samples s = all.get(i);
            if (s.total() == 0) continue;
            List<Distribution.Point> pts = HtmlReport.thin(Distribution.ccdf(s.histogram(), s.overflows(), s.maxNs()), 300);
            minX = Math.min(minX, pts.get(0).x());
            maxX = Math.max(maxX, s.maxNs());
            minY = Math.min(minY, 1.0 / s.total());
            lines.add(new Chart.Line(labels.get(i), xy(pts), color(i), "s" + i, false));
            if (worst == null || s.maxNs() > worst.maxNs()) worst = s;
        }
        if (worst == null) return null;
        Chart c = new Chart(title, Chart.Axis.latency("latency", minX, maxX), Chart.Axis.fraction("fraction of samples ≥ latency", minY));
        lines.forEach(c::line);
        return c.max(worst.maxNs(), 1.0 / worst.total(), worst.maxLabel());
    }

    /**
     * The worst sample of each interval against time since the first interval began, one line
     * per thread labelled by its CPU; the worst interval is marked. Null without intervals.
     */
    static Chart overTime(String title, List<IntervalMax> intervals) {
        List<IntervalMax> withSamples = intervals.stream().filter(m -> m.count() > 0).toList();
        if (withSamples.isEmpty()) return null;
        long t0 = withSamples.stream().mapToLong(IntervalMax::startMs).min().orElseThrow();
        long t1 = withSamples.stream().mapToLong(IntervalMax::endMs).max().orElseThrow();
        IntervalMax worst = withSamples.stream().max((a, b) -> Long.compare(a.maxNs(), b.maxNs())).orElseThrow();
        long least = withSamples.stream().mapToLong(IntervalMax::maxNs).min().orElseThrow();
        Map<Integer, List<double[]>> byThread = new TreeMap<>();
        Map<Integer, Integer> cpus = new TreeMap<>();
        for (IntervalMax m : withSamples) {
            byThread.computeIfAbsent(m.thread(), t -> new ArrayList<>()).add(new double[] {(m.endMs() - t0) / 1000.0, m.maxNs()});
            cpus.put(m.thread(), m.cpu());
        }
        Chart c = new Chart(title, new Chart.Axis("time (s)", Chart.Kind.SECONDS, 0, Math.max(1, (t1 - t0) / 1000.0)),
                Chart.Axis.latency("worst per interval", least, worst.maxNs()));
        int i = 0;
        for (Map.Entry<Integer, List<double[]>> e : byThread.entrySet()) {
            int cpu = cpus.get(e.getKey());
            String label = (cpu >= 0 ? "CPU " + cpu : "thread " + e.getKey());
            c.line(new Chart.Line(label, e.getValue(), color(i), "t" + e.getKey(), e.getValue().size() <= 120));
            i++;
        }
        if (byThread.size() > 1) c.legend();
        return c.max((worst.endMs() - t0) / 1000.0, worst.maxNs(), "max " + Chart.latencyLabel(worst.maxNs()) + " at "
                + Math.round((worst.endMs() - t0) / 1000.0) + " s");
    }

    static String color(int i) {
        return Chart.COLORS[i % Chart.COLORS.length];
    }

    private static List<double[]> xy(List<Distribution.Point> pts) {
        List<double[]> out = new ArrayList<>();
        for (Distribution.Point p : pts) out.add(new double[] {p.x(), p.y()});
        return out;
    }
}
