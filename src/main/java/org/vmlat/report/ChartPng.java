package org.vmlat.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.vmlat.stats.Distribution;

/** A scenario's histogram or CCDF as a PNG for papers (log-log axes, microseconds). */
public final class ChartPng {
    private ChartPng() {}

    public static void write(String title, String yLabel, String series, List<Distribution.Point> points, OutputStream out) throws IOException {
        XYSeries s = new XYSeries(series, true, true);
        for (Distribution.Point p : points) if (p.y() > 0 && p.x() > 0) s.add(p.x() / 1000.0, p.y());
        JFreeChart chart = ChartFactory.createXYLineChart(title, "latency (us)", yLabel, new XYSeriesCollection(s),
                PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("latency (us)");
        LogAxis y = new LogAxis(yLabel);
        x.setSmallestValue(0.1);
        y.setSmallestValue(1e-9);
        plot.setDomainAxis(x);
        plot.setRangeAxis(y);
        ChartUtils.writeChartAsPNG(out, chart, 800, 480);
    }
}
