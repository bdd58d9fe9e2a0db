package org.vmlat.report;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A chart as PNG for papers: the same layout, colours and axes as the HTML report's SVG (one
 * {@link Chart} drawn on a {@link PngCanvas}), at twice the resolution.
 */
public final class ChartPng {
    /** Pixels per chart point: 1120 × 600 for a single chart. */
    static final double SCALE = 2;

    private ChartPng() {}

    static void write(Chart chart, OutputStream out) throws IOException {
        PngCanvas c = new PngCanvas(chart.width(), chart.height(), SCALE);
        chart.draw(c);
        c.writePng(out);
    }
}
