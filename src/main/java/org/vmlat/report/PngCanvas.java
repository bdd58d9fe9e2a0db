package org.vmlat.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import javax.imageio.ImageIO;

/** A {@link ChartCanvas} drawing into an image, at {@code scale} pixels per chart point, written as PNG. */
final class PngCanvas implements ChartCanvas {
    private final BufferedImage image;
    private final Graphics2D g;

    PngCanvas(double w, double h, double scale) {
        image = new BufferedImage((int) Math.ceil(w * scale), (int) Math.ceil(h * scale), BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.scale(scale, scale);
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke, String cls, String title) {
        Rectangle2D r = new Rectangle2D.Double(x, y, w, h);
        if (fill != null) {
            g.setColor(color(fill));
            g.fill(r);
        }
        if (stroke != null) {
            g.setColor(color(stroke));
            g.setStroke(new BasicStroke(1f));
            g.draw(r);
        }
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed, String cls) {
        g.setColor(color(stroke));
        g.setStroke(dashed ? new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f}, 0f)
                : new BasicStroke((float) width));
        g.draw(new Line2D.Double(x1, y1, x2, y2));
    }

    @Override
    public void polyline(List<double[]> points, String stroke, double width, String cls, String title) {
        if (points.isEmpty()) return;
        Path2D.Double p = new Path2D.Double();
        p.moveTo(points.get(0)[0], points.get(0)[1]);
        for (double[] q : points.subList(1, points.size())) p.lineTo(q[0], q[1]);
        g.setColor(color(stroke));
        g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND));
        g.draw(p);
    }

    @Override
    public void circle(double x, double y, double r, String fill, String cls, String title) {
        g.setColor(color(fill));
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }

    @Override
    public void text(double x, double y, String text, double size, String anchor, String fill, boolean bold, boolean vertical, String cls) {
        g.setFont(new Font(Font.SANS_SERIF, bold ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) size));
        FontMetrics fm = g.getFontMetrics();
        double w = fm.getStringBounds(text, g).getWidth();
        double dx = anchor.equals("middle") ? -w / 2 : anchor.equals("end") ? -w : 0;
        g.setColor(color(fill));
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        if (vertical) g.rotate(-Math.PI / 2);
        g.drawString(text, (float) dx, 0f);
        g.setTransform(saved);
    }

    void writePng(OutputStream out) throws IOException {
        g.dispose();
        ImageIO.write(image, "png", out);
    }

    /** "#rrggbb" or "#rrggbbaa". */
    private static Color color(String hex) {
        long v = Long.parseLong(hex.substring(1), 16);
        return hex.length() == 9 ? new Color((int) (v >> 24), (int) (v >> 16) & 0xff, (int) (v >> 8) & 0xff, (int) v & 0xff)
                : new Color((int) v);
    }
}
