package org.vmlat.report;

import java.util.List;
import java.util.Locale;
import org.vmlat.stats.Distribution;

/**
 * Log-log line and step charts as inline SVG: no script, no external file, so the report opens
 * offline and prints. x is latency in microseconds; y is a count or a fraction, both on log axes.
 */
final class SvgChart {
    static final int W = 560, H = 300, L = 60, R = 12, T = 24, B = 40;
    static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    record Series(String label, List<Distribution.Point> points, boolean steps, String cssClass) {}

    private SvgChart() {}

    static String render(String title, String yLabel, List<Series> series, double yMinFloor) {
        double xMin = Double.MAX_VALUE, xMax = 0, yMin = Double.MAX_VALUE, yMax = 0;
        for (Series s : series) {
            for (Distribution.Point p : s.points()) {
                double x = Math.max(p.x(), 100), x2 = s.steps() ? p.x2() : x;
                xMin = Math.min(xMin, x);
                xMax = Math.max(xMax, x2);
                if (p.y() > 0) {
                    yMin = Math.min(yMin, p.y());
                    yMax = Math.max(yMax, p.y());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\">",
                W, H, W, H, esc(title)));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" class=\"title\">%s</text>", L, esc(title)));
        if (xMax <= 0 || yMax <= 0) {
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"empty\">no samples to plot</text></svg>", L + 20, H / 2));
            return sb.toString();
        }
        if (xMax <= xMin * 1.0001) {
            xMin /= 2;
            xMax *= 2;
        }
        yMin = Math.max(Math.min(yMin, yMax / 10), yMinFloor);
        double lx0 = Math.floor(Math.log10(xMin / 1000)), lx1 = Math.ceil(Math.log10(xMax / 1000));
        if (lx1 <= lx0) lx1 = lx0 + 1;
        double ly0 = Math.floor(Math.log10(yMin)), ly1 = Math.ceil(Math.log10(yMax));
        if (ly1 <= ly0) ly1 = ly0 + 1;
        final double fx0 = lx0, fx1 = lx1, fy0 = ly0, fy1 = ly1;
        java.util.function.DoubleUnaryOperator px = v -> L + (Math.log10(Math.max(v, 1) / 1000) - fx0) / (fx1 - fx0) * (W - L - R);
        java.util.function.DoubleUnaryOperator py = v -> T + (fy1 - Math.log10(Math.max(v, Math.pow(10, fy0)))) / (fy1 - fy0) * (H - T - B);
        // axes and decade grid
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"frame\"/>", L, T, W - L - R, H - T - B));
        for (double d = lx0; d <= lx1; d++) {
            double x = px.applyAsDouble(Math.pow(10, d) * 1000);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" class=\"grid\"/>", x, T, x, H - B));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" class=\"tick\" text-anchor=\"middle\">%s</text>", x, H - B + 14, decade(d)));
        }
        for (double d = ly0; d <= ly1; d++) {
            double y = py.applyAsDouble(Math.pow(10, d));
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/>", L, y, W - R, y));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">1e%d</text>", L - 4, y + 4, (int) d));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" class=\"axis\" text-anchor=\"middle\">latency (us, log)</text>", (L + W - R) / 2, H - 6));
        sb.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%d\" class=\"axis\" transform=\"rotate(-90 12 %d)\" text-anchor=\"middle\">%s</text>",
                (T + H - B) / 2, (T + H - B) / 2, esc(yLabel)));
        int i = 0;
        for (Series s : series) {
            String color = COLORS[i++ % COLORS.length];
            StringBuilder d = new StringBuilder();
            for (Distribution.Point p : s.points()) {
                if (p.y() <= 0) continue;
                double x1 = px.applyAsDouble(Math.max(p.x(), 100)), y = py.applyAsDouble(p.y());
                if (s.steps()) {
                    double x2 = px.applyAsDouble(p.x2()), base = py.applyAsDouble(Math.pow(10, fy0));
                    d.append(String.format(Locale.ROOT, "M%.1f %.1fV%.1fH%.1fV%.1f", x1, base, y, x2, base));
                } else {
                    d.append(String.format(Locale.ROOT, "%s%.1f %.1f", d.length() == 0 ? "M" : "L", x1, y));
                }
            }
            sb.append(String.format(Locale.ROOT, "<path class=\"series %s\" d=\"%s\" stroke=\"%s\" fill=\"none\"><title>%s</title></path>",
                    s.cssClass(), d, color, esc(s.label())));
        }
        sb.append("</svg>");
        return sb.toString();
    }

    private static String decade(double d) {
        double v = Math.pow(10, d);
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
