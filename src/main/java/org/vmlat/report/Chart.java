package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * vmlat's one chart design, drawn on a {@link ChartCanvas} as SVG (HTML report) or PNG: white
 * background, a light grid, the same colours everywhere, latency on a log axis labelled in
 * µs/ms at decades (10 µs, 100 µs, 1 ms), counts and fractions on log axes labelled 1, 10,
 * 100, 1k and 1, 0.1, 0.01, 10⁻³. The worst case is a red dashed line labelled with its value.
 */
final class Chart {
    /** Categorical colours (Tableau 10): scenarios, threads. The first is the colour of a single series. */
    static final String[] COLORS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#aec7e8"};
    /** The worst case's colour, used by nothing else. */
    static final String MAX_COLOR = "#d62728";
    static final String GRID = "#e6e6e6", MINOR_GRID = "#f3f3f3", FRAME = "#888888", TICK = "#444444", TEXT = "#222222";
    static final double H = 300, L = 64, R = 16, T = 26, B = 42, PLOT_W = 480, LEGEND_W = 150;

    /** How an axis maps values and labels its ticks. */
    enum Kind {
        /** nanoseconds, log, labelled in µs/ms/s */
        LATENCY(true),
        /** counts, log, from 0.5 so that a bin of one sample has height */
        COUNT(true),
        /** fractions of samples, log */
        FRACTION(true),
        /** seconds, linear */
        SECONDS(false),
        /** plain numbers, linear (utilisation, ratios) */
        NUMBER(false);

        final boolean log;

        Kind(boolean log) {
            this.log = log;
        }
    }

    /** An axis from lo to hi (both > 0 on log axes). */
    record Axis(String label, Kind kind, double lo, double hi) {
        Axis {
            if (!(hi > lo)) throw new IllegalArgumentException("axis " + label + ": hi (" + hi + ") must be > lo (" + lo + ")");
            if (kind.log && !(lo > 0)) throw new IllegalArgumentException("axis " + label + ": lo must be > 0 on a log axis, got " + lo);
        }

        /** Latency from the decade at or below minNs to the decade above maxNs (a worst case on a decade gets room for its label). */
        static Axis latency(String label, double minNs, double maxNs) {
            double lo = Math.pow(10, Math.floor(Math.log10(Math.max(minNs, 100))));
            double hi = Math.pow(10, Math.floor(Math.log10(Math.max(maxNs, lo))) + 1);
            return new Axis(label, Kind.LATENCY, lo, hi);
        }

        /** Counts from 0.5: on a log axis a bar's base must lie below 1, or a bin of one sample has no height. */
        static Axis count(String label, double maxCount) {
            return new Axis(label, Kind.COUNT, 0.5, Math.max(10, Math.pow(10, Math.ceil(Math.log10(Math.max(maxCount, 1) * 1.0001)))));
        }

        /** Fractions from the decade at or below minFraction (at least one decade) to 1. */
        static Axis fraction(String label, double minFraction) {
            double lo = Math.pow(10, Math.min(-1, Math.floor(Math.log10(minFraction))));
            return new Axis(label, Kind.FRACTION, lo, 1);
        }

        double fractionOf(double v) {
            if (!kind.log) return (v - lo) / (hi - lo);
            return (Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo));
        }

        /** Major ticks: value and label. */
        List<Object[]> ticks() {
            List<Object[]> out = new ArrayList<>();
            if (kind.log) {
                int d0 = (int) Math.ceil(Math.log10(lo) - 1e-9), d1 = (int) Math.floor(Math.log10(hi) + 1e-9);
                int step = d1 - d0 > 8 ? 2 : 1;
                for (int d = d0; d <= d1; d += step) out.add(new Object[] {Math.pow(10, d), label(Math.pow(10, d))});
            } else {
                double step = niceStep((hi - lo) / 6);
                for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.add(new Object[] {v, label(v)});
            }
            return out;
        }

        /** Minor grid lines: 2 and 5 of each decade on log axes. */
        List<Double> minorTicks() {
            List<Double> out = new ArrayList<>();
            if (!kind.log) return out;
            for (int d = (int) Math.floor(Math.log10(lo)); d <= Math.ceil(Math.log10(hi)); d++) {
                for (int m : new int[] {2, 5}) {
                    double v = m * Math.pow(10, d);
                    if (v > lo && v < hi) out.add(v);
                }
            }
            return out;
        }

        String label(double v) {
            return switch (kind) {
                case LATENCY -> latencyLabel(v);
                case COUNT -> v < 1 ? trim(v) : v < 1e3 ? trim(v) : v < 1e6 ? trim(v / 1e3) + "k" : v < 1e9 ? trim(v / 1e6) + "M" : trim(v / 1e9) + "G";
                case FRACTION -> v >= 0.01 ? trim(v) : "10" + superscript((int) Math.round(Math.log10(v)));
                case SECONDS -> trim(v) + " s";
                case NUMBER -> trim(v);
            };
        }
    }

    /** A line through (x, y) points; {@code dots} marks each point (few points, such as one per interval). */
    record Line(String label, List<double[]> points, String color, String cls, boolean dots) {}

    /** A histogram bar [x1, x2) of height y. */
    record Bar(double x1, double x2, double y) {}

    private final String title;
    private final Axis x, y;
    private final List<Line> lines = new ArrayList<>();
    private final List<Bar> bars = new ArrayList<>();
    private String barColor = COLORS[0];
    private double maxX = Double.NaN, maxY = Double.NaN;
    private String maxLabel;
    private boolean legend;

    Chart(String title, Axis x, Axis y) {
        this.title = title;
        this.x = x;
        this.y = y;
    }

    Chart line(Line l) {
        lines.add(l);
        return this;
    }

    Chart bars(List<Bar> b, String color) {
        bars.addAll(b);
        barColor = color;
        return this;
    }

    /** The worst case: a dashed vertical line at x labelled {@code label}, and a dot at (x, y) when y is a number. */
    Chart max(double atX, double atY, String label) {
        maxX = atX;
        maxY = atY;
        maxLabel = label;
        return this;
    }

    /** A legend right of the plot, one entry per line. */
    Chart legend() {
        legend = true;
        return this;
    }

    Axis xAxis() {
        return x;
    }

    Axis yAxis() {
        return y;
    }

    double width() {
        return L + PLOT_W + R + (legend ? LEGEND_W : 0);
    }

    double height() {
        return H;
    }

    double px(double v) {
        return L + x.fractionOf(v) * PLOT_W;
    }

    double py(double v) {
        return H - B - y.fractionOf(v) * (H - T - B);
    }

    void draw(ChartCanvas c) {
        double x0 = L, x1 = L + PLOT_W, y0 = T, y1 = H - B;
        c.rect(0, 0, width(), height(), "#ffffff", null, "background", null);
        c.text(x0, 17, title, 13, "start", TEXT, true, false, "title");
        for (double v : x.minorTicks()) c.line(px(v), y0, px(v), y1, MINOR_GRID, 1, false, "grid minor");
        for (double v : y.minorTicks()) c.line(x0, py(v), x1, py(v), MINOR_GRID, 1, false, "grid minor");
        for (Object[] t : x.ticks()) {
            double p = px((double) t[0]);
            c.line(p, y0, p, y1, GRID, 1, false, "grid");
            c.text(p, y1 + 14, (String) t[1], 10, "middle", TICK, false, false, "tick x");
        }
        for (Object[] t : y.ticks()) {
            double p = py((double) t[0]);
            c.line(x0, p, x1, p, GRID, 1, false, "grid");
            c.text(x0 - 5, p + 3.5, (String) t[1], 10, "end", TICK, false, false, "tick y");
        }
        c.text((x0 + x1) / 2, H - 8, x.label(), 11, "middle", TEXT, false, false, "axis");
        c.text(14, (y0 + y1) / 2, y.label(), 11, "middle", TEXT, false, true, "axis");
        for (Bar b : bars) {
            double left = px(b.x1()), right = px(b.x2()), top = py(b.y());
            // at least one point wide: a bin of whole microseconds far up a log axis is still seen
            double w = Math.max(1, right - left);
            c.rect(left, top, w, y1 - top, barColor + "cc", barColor, "bar",
                    String.format(Locale.ROOT, "%s to %s: %.0f", x.label(b.x1()), x.label(b.x2()), b.y()));
        }
        for (Line l : lines) {
            List<double[]> pts = new ArrayList<>();
            for (double[] p : l.points()) {
                if (y.kind().log && !(p[1] > 0)) continue;
                pts.add(new double[] {px(p[0]), py(p[1])});
            }
            c.polyline(pts, l.color(), 1.6, "series " + l.cls(), l.label());
            if (l.dots()) for (double[] p : pts) c.circle(p[0], p[1], 2, l.color(), "dot " + l.cls(), l.label());
        }
        if (maxLabel != null) {
            double p = px(maxX);
            c.line(p, y0, p, y1, MAX_COLOR, 1.2, true, "max");
            if (!Double.isNaN(maxY)) c.circle(p, py(maxY), 3.5, MAX_COLOR, "max-point", maxLabel);
            boolean right = p > x0 + PLOT_W * 0.7;
            c.text(right ? p - 4 : p + 4, y0 + 12, maxLabel, 11, right ? "end" : "start", MAX_COLOR, true, false, "max-label");
        }
        c.rect(x0, y0, PLOT_W, y1 - y0, null, FRAME, "frame", null);
        if (legend) {
            double ly = y0 + 6;
            for (Line l : lines) {
                c.line(x1 + 10, ly, x1 + 28, ly, l.color(), 2.5, false, "legend " + l.cls());
                c.text(x1 + 32, ly + 4, l.label(), 10, "start", TEXT, false, false, "legend " + l.cls());
                ly += 15;
            }
        }
    }

    String svg() {
        SvgCanvas c = new SvgCanvas(width(), height(), title);
        draw(c);
        return c.svg();
    }

    /** Latency as people say it: 10 µs, 1.5 ms, 111 ms (three significant digits at most). */
    static String latencyLabel(double ns) {
        if (ns < 1000) return trim(round3(ns)) + " ns";
        if (ns < 1e6) return trim(round3(ns / 1e3)) + " µs";
        if (ns < 1e9) return trim(round3(ns / 1e6)) + " ms";
        return trim(round3(ns / 1e9)) + " s";
    }

    private static double round3(double v) {
        if (v == 0) return 0;
        double scale = Math.pow(10, 2 - Math.floor(Math.log10(Math.abs(v))));
        return Math.round(v * scale) / scale;
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.6f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static double niceStep(double raw) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
    }

    private static String superscript(int n) {
        String digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        StringBuilder sb = new StringBuilder(n < 0 ? "⁻" : "");
        for (char ch : Integer.toString(Math.abs(n)).toCharArray()) sb.append(digits.charAt(ch - '0'));
        return sb.toString();
    }
}
