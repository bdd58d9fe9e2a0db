package org.vmlat.report;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Reads a chart's SVG back as a reader of the picture would: the values of points are found
 * from the tick labels drawn on the axes (two labelled ticks fix a log or linear axis), not
 * from the code that drew them.
 */
final class SvgAxes {
    final Document doc;

    SvgAxes(String svg) throws Exception {
        doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    List<Element> byClass(String tag, String cls) {
        List<Element> out = new ArrayList<>();
        NodeList all = doc.getElementsByTagName(tag);
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (List.of(e.getAttribute("class").split(" ")).contains(cls)) out.add(e);
        }
        return out;
    }

    static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }

    /** Tick label to value: "10 µs" to 10000 ns, "1k" to 1000, "10⁻³" to 0.001; "1 s" to 1e9 ns on a latency axis, 1 on a time axis. */
    static double tickValue(String label, boolean latency) {
        String l = label.trim();
        if (l.startsWith("10") && l.length() > 2 && "⁻⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(l.charAt(2)) >= 0) {
            String sup = l.substring(2);
            StringBuilder e = new StringBuilder();
            for (char c : sup.toCharArray()) e.append(c == '⁻' ? '-' : (char) ('0' + "⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(c)));
            return Math.pow(10, Integer.parseInt(e.toString()));
        }
        Matcher m = Pattern.compile("([0-9.]+) ?(ns|µs|ms|s|k|M|G)?").matcher(l);
        if (!m.matches()) throw new IllegalArgumentException("tick label " + label);
        double v = Double.parseDouble(m.group(1));
        String u = m.group(2) == null ? "" : m.group(2);
        return switch (u) {
            case "ns" -> v;
            case "µs" -> v * 1e3;
            case "ms" -> v * 1e6;
            case "k" -> v * 1e3;
            case "M" -> v * 1e6;
            case "G" -> v * 1e9;
            case "s" -> latency ? v * 1e9 : v;
            default -> v;
        };
    }

    /** Pixel to value on the x ("x") or y ("y") axis, from the first and last labelled tick. */
    double value(String axis, double pixel, boolean log) {
        List<Element> ticks = byClass("text", axis);
        Element a = ticks.get(0), b = ticks.get(ticks.size() - 1);
        double pa = num(a, axis.equals("x") ? "x" : "y"), pb = num(b, axis.equals("x") ? "x" : "y");
        if (axis.equals("y")) {
            pa -= 3.5; // labels sit 3.5 below their grid line
            pb -= 3.5;
        }
        double va = tickValue(a.getTextContent(), log), vb = tickValue(b.getTextContent(), log);
        double f = (pixel - pa) / (pb - pa);
        return log ? Math.pow(10, Math.log10(va) + f * (Math.log10(vb) - Math.log10(va))) : va + f * (vb - va);
    }

    /** The (x, y) pixel points of a path's d attribute. */
    static List<double[]> points(Element path) {
        List<double[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("[ML]([-0-9.]+) ([-0-9.]+)").matcher(path.getAttribute("d"));
        while (m.find()) out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        return out;
    }
}
