package org.vmlat.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * The acceptance ratio against utilisation in vmlat's chart design, one line per latency:
     * colours run from dark blue (smallest latency) to yellow (largest) in order, so eleven
     * curves stay apart and their order reads off the colour; the legend names each.
     */
    public static void png(List<AcceptanceSweep.Point> points, String title, OutputStream out) throws IOException {
        ChartPng.write(chart(points, title), out);
    }

    static Chart chart(List<AcceptanceSweep.Point> points, String title) {
        Map<Long, List<double[]>> series = new TreeMap<>();
        double uMin = Double.MAX_VALUE, uMax = 0;
        for (AcceptanceSweep.Point p : points) {
            series.computeIfAbsent(p.latencyNs(), l -> new ArrayList<>()).add(new double[] {p.utilisation(), p.ratio()});
            uMin = Math.min(uMin, p.utilisation());
            uMax = Math.max(uMax, p.utilisation());
        }
        if (points.isEmpty()) {
            uMin = 0;
            uMax = 1;
        }
        Chart c = new Chart(title, new Chart.Axis("utilisation", Chart.Kind.NUMBER, Math.min(uMin, uMax - 0.01), uMax),
                new Chart.Axis("acceptance ratio", Chart.Kind.NUMBER, 0, 1.02)).legend();
        int i = 0;
        for (Map.Entry<Long, List<double[]>> e : series.entrySet()) {
            String color = sequential(series.size() == 1 ? 0 : (double) i / (series.size() - 1));
            c.line(new Chart.Line("L = " + Chart.latencyLabel(e.getKey()), e.getValue(), color, "l" + i, e.getValue().size() <= 40));
            i++;
        }
        return c;
    }

    /** Viridis at t in [0, 1], interpolated between five of its colours. */
    static String sequential(double t) {
        int[][] stops = {{0x44, 0x01, 0x54}, {0x3b, 0x52, 0x8b}, {0x21, 0x91, 0x8c}, {0x5e, 0xc9, 0x62}, {0xe0, 0xd0, 0x1a}};
        double f = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int k = Math.min(stops.length - 2, (int) Math.floor(f));
        double w = f - k;
        int[] rgb = new int[3];
        for (int j = 0; j < 3; j++) rgb[j] = (int) Math.round(stops[k][j] * (1 - w) + stops[k + 1][j] * w);
        return String.format(Locale.ROOT, "#%02x%02x%02x", rgb[0], rgb[1], rgb[2]);
    }
}
