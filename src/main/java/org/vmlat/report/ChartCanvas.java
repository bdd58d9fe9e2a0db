package org.vmlat.report;

import java.util.List;

/**
 * What a {@link Chart} draws on: SVG text for the HTML report ({@link SvgCanvas}) or a PNG image
 * ({@link PngCanvas}). The chart lays itself out once in these primitives, so both look alike.
 * Coordinates are in the chart's points, y down; {@code cls} names the element for the HTML's
 * style and script and for tests, and is ignored by images.
 */
interface ChartCanvas {
    void rect(double x, double y, double w, double h, String fill, String stroke, String cls, String title);

    void line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed, String cls);

    /** A line through {@code points} (x, y pairs). */
    void polyline(List<double[]> points, String stroke, double width, String cls, String title);

    void circle(double x, double y, double r, String fill, String cls, String title);

    /** Text with its baseline at y; anchor is start, middle or end; vertical turns it a quarter left around (x, y). */
    void text(double x, double y, String text, double size, String anchor, String fill, boolean bold, boolean vertical, String cls);
}
