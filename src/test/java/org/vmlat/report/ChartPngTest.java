package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.vmlat.sched.gen.AcceptanceSweep;
import org.w3c.dom.Element;

/** PNG and SVG are one design: white background, the worst case in its red; the acceptance chart's curves each have their own colour and name. */
class ChartPngTest {
    static BufferedImage png(Chart c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartPng.write(c, out);
        return ImageIO.read(new ByteArrayInputStream(out.toByteArray()));
    }

    @Test
    void thePngIsWhiteAndShowsTheMaximumInRed() throws Exception {
        BufferedImage img = png(LatencyCharts.ccdf("ccdf", LatencyChartsTest.samples()));
        assertThat(img.getWidth()).isEqualTo(1120);
        assertThat(img.getHeight()).isEqualTo(600);
        assertThat(img.getRGB(2, 2) & 0xffffff).isEqualTo(0xffffff);
        // inside the plot area, away from lines: white, not JFreeChart's grey
        assertThat(img.getRGB((int) (ChartPng.SCALE * 300), (int) (ChartPng.SCALE * 100)) & 0xffffff).isEqualTo(0xffffff);
        int red = 0;
        for (int x = 0; x < img.getWidth(); x++) for (int y = 0; y < img.getHeight(); y++) if ((img.getRGB(x, y) & 0xffffff) == 0xd62728) red++;
        assertThat(red).as("pixels of the max marker").isGreaterThan(50);
    }

    @Test
    void elevenLatenciesGetElevenColoursAndALegend() throws Exception {
        List<AcceptanceSweep.Point> points = new ArrayList<>();
        for (int l = 0; l <= 10; l++) {
            for (int u = 1; u <= 9; u++) points.add(new AcceptanceSweep.Point(u / 10.0, l * 100_000L, 100 - l * u, 100));
        }
        Chart c = AcceptanceChart.chart(points, "acceptance");
        SvgAxes svg = new SvgAxes(c.svg());
        List<Element> lines = svg.byClass("path", "series");
        assertThat(lines).hasSize(11);
        Set<String> colours = new HashSet<>();
        for (Element e : lines) colours.add(e.getAttribute("stroke"));
        assertThat(colours).hasSize(11);
        assertThat(svg.byClass("text", "legend").stream().map(Element::getTextContent))
                .containsExactly("L = 0 ns", "L = 100 µs", "L = 200 µs", "L = 300 µs", "L = 400 µs", "L = 500 µs", "L = 600 µs", "L = 700 µs",
                        "L = 800 µs", "L = 900 µs", "L = 1 ms");
        // neighbouring curves differ visibly: at least 20 in some RGB channel
        List<String> ordered = lines.stream().map(e -> e.getAttribute("stroke")).toList();
        for (int i = 1; i < ordered.size(); i++) assertThat(distance(ordered.get(i - 1), ordered.get(i))).isGreaterThanOrEqualTo(20);
        assertThat(png(c).getRGB(2, 2) & 0xffffff).isEqualTo(0xffffff);
    }

    private static int distance(String a, String b) {
        int x = Integer.parseInt(a.substring(1), 16), y = Integer.parseInt(b.substring(1), 16), d = 0;
        for (int s = 0; s < 24; s += 8) d = Math.max(d, Math.abs(((x >> s) & 0xff) - ((y >> s) & 0xff)));
        return d;
    }
}
