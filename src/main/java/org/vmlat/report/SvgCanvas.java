package org.vmlat.report;

import java.util.List;
import java.util.Locale;

/** A {@link ChartCanvas} writing inline SVG: no script, no external file, so the report opens offline and prints. */
final class SvgCanvas implements ChartCanvas {
    private final StringBuilder sb = new StringBuilder();

    SvgCanvas(double w, double h, String title) {
        sb.append(String.format(Locale.ROOT, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\""
                + " height=\"%.0f\" role=\"img\" aria-label=\"%s\" font-family=\"sans-serif\">", w, h, w, h, esc(title)));
    }

    @Override
    public void rect(double x, double y, double w, double h, String fill, String stroke, String cls, String title) {
        sb.append(String.format(Locale.ROOT, "<rect%s x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\" stroke=\"%s\"",
                cls(cls), x, y, w, h, fill == null ? "none" : fill, stroke == null ? "none" : stroke));
        sb.append(title == null ? "/>" : "><title>" + esc(title) + "</title></rect>");
    }

    @Override
    public void line(double x1, double y1, double x2, double y2, String stroke, double width, boolean dashed, String cls) {
        sb.append(String.format(Locale.ROOT, "<line%s x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" stroke-width=\"%.1f\"%s/>",
                cls(cls), x1, y1, x2, y2, stroke, width, dashed ? " stroke-dasharray=\"4 3\"" : ""));
    }

    @Override
    public void polyline(List<double[]> points, String stroke, double width, String cls, String title) {
        StringBuilder d = new StringBuilder();
        for (double[] p : points) d.append(String.format(Locale.ROOT, "%s%.2f %.2f", d.length() == 0 ? "M" : "L", p[0], p[1]));
        sb.append(String.format(Locale.ROOT, "<path%s d=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\" fill=\"none\" stroke-linejoin=\"round\">"
                + "<title>%s</title></path>", cls(cls), d, stroke, width, esc(title)));
    }

    @Override
    public void circle(double x, double y, double r, String fill, String cls, String title) {
        sb.append(String.format(Locale.ROOT, "<circle%s cx=\"%.2f\" cy=\"%.2f\" r=\"%.1f\" fill=\"%s\"><title>%s</title></circle>",
                cls(cls), x, y, r, fill, esc(title)));
    }

    @Override
    public void text(double x, double y, String text, double size, String anchor, String fill, boolean bold, boolean vertical, String cls) {
        sb.append(String.format(Locale.ROOT, "<text%s x=\"%.2f\" y=\"%.2f\" font-size=\"%.0f\" text-anchor=\"%s\" fill=\"%s\"%s%s>%s</text>",
                cls(cls), x, y, size, anchor, fill, bold ? " font-weight=\"bold\"" : "",
                vertical ? String.format(Locale.ROOT, " transform=\"rotate(-90 %.2f %.2f)\"", x, y) : "", esc(text)));
    }

    String svg() {
        return sb + "</svg>";
    }

    private static String cls(String cls) {
        return cls == null || cls.isEmpty() ? "" : " class=\"" + esc(cls) + "\"";
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
