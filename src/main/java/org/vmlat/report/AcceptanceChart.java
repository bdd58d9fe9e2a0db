package org.vmlat.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.vmlat.sched.gen.AcceptanceSweep;

/** Acceptance ratio against utilisation, one curve per latency, as PNG and CSV. */
public final class AcceptanceChart {
    private AcceptanceChart() {}

    public static String csv(List<AcceptanceSweep.Point> points) {
        StringBuilder sb = new StringBuilder("utilisation,latency_ns,accepted,sets,ratio\n");
        for (AcceptanceSweep.Point p : points) {
            sb.append(String.format(Locale.ROOT, "%.4f,%d,%d,%d,%.4f%n", p.utilisation(), p.latencyNs(), p.accepted(), p.sets(), p.ratio()));
        }
        return sb.toString();
    }

    public static void png(List<AcceptanceSweep.Point> points, String title, OutputStream out) throws IOException {
        Map<Long, XYSeries> series = new TreeMap<>();
        for (AcceptanceSweep.Point p : points) {
            series.computeIfAbsent(p.latencyNs(), l -> new XYSeries("L = " + Micros.of(l).replace(".0", "") + " us"))
                    .add(p.utilisation(), p.ratio());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart(title, "utilisation", "acceptance ratio", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().getRangeAxis().setRange(0, 1.02);
        ChartUtils.writeChartAsPNG(out, chart, 900, 560);
    }
}
