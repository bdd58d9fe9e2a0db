package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.AbstractHistogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.store.IntervalMax;
import org.w3c.dom.Element;

/** The charts read back from their SVG through their own tick labels: the worst case is on both, labelled; no bar vanishes; no combs. */
class LatencyChartsTest {
    static final long OUTLIER_NS = 111_000_000;

    /** cyclictest-like whole-µs data: 20 000 samples from 3 to 40 µs and one 111 ms outlier. */
    static AbstractHistogram wholeMicros() {
        AbstractHistogram h = LatencyHistograms.create();
        Random rnd = new Random(7);
        for (int i = 0; i < 20_000; i++) h.recordValue(1000L * (3 + Math.min(37, (long) Math.abs(rnd.nextGaussian() * 6))));
        h.recordValue(OUTLIER_NS);
        return h;
    }

    static LatencyCharts.Samples samples() {
        AbstractHistogram h = wholeMicros();
        return new LatencyCharts.Samples(h, 1000, OUTLIER_NS, 0);
    }

    @Test
    void theCcdfEndsAtTheMaximumAtOneSampleInN() throws Exception {
        LatencyCharts.Samples s = samples();
        SvgAxes svg = new SvgAxes(LatencyCharts.ccdf("ccdf", s).svg());
        List<Element> series = svg.byClass("path", "series");
        assertThat(series).hasSize(1);
        List<double[]> pts = SvgAxes.points(series.get(0));
        double[] last = pts.get(pts.size() - 1);
        // HdrHistogram keeps 3 significant digits: the value read back is within 0.1 % (plus pixel rounding)
        assertThat(svg.value("x", last[0], true)).isCloseTo(OUTLIER_NS, within(OUTLIER_NS * 0.002));
        assertThat(svg.value("y", last[1], true)).isCloseTo(1.0 / 20_001, within(1.0 / 20_001 * 0.01));
        assertThat(svg.value("y", pts.get(0)[1], true)).isCloseTo(1.0, within(0.001));
        assertThat(maxLabel(svg)).isEqualTo("max 111 ms");
        Element marker = svg.byClass("line", "max").get(0);
        assertThat(svg.value("x", SvgAxes.num(marker, "x1"), true)).isCloseTo(OUTLIER_NS, within(OUTLIER_NS * 0.002));
    }

    @Test
    void theHistogramMarksTheMaximumAndABinOfOneSampleHasHeight() throws Exception {
        SvgAxes svg = new SvgAxes(LatencyCharts.histogram("histogram", samples()).svg());
        assertThat(maxLabel(svg)).isEqualTo("max 111 ms");
        List<Element> bars = svg.byClass("rect", "bar");
        Element outlierBar = bars.get(bars.size() - 1);
        double top = SvgAxes.num(outlierBar, "y"), height = SvgAxes.num(outlierBar, "height");
        assertThat(height).isPositive();
        assertThat(svg.value("y", top, true)).isCloseTo(1.0, within(0.01));
        double from = svg.value("x", SvgAxes.num(outlierBar, "x"), true);
        double to = svg.value("x", SvgAxes.num(outlierBar, "x") + SvgAxes.num(outlierBar, "width"), true);
        assertThat(from).isLessThanOrEqualTo(OUTLIER_NS * 1.001);
        assertThat(to).isGreaterThan(OUTLIER_NS * 0.999);
        for (Element b : bars) assertThat(SvgAxes.num(b, "height")).as("bar height").isPositive();
    }

    @Test
    void binsOfWholeMicrosecondDataAreAtLeastOneMicrosecondWideAndLeaveNoGaps() throws Exception {
        SvgAxes svg = new SvgAxes(LatencyCharts.histogram("histogram", samples()).svg());
        List<Element> bars = svg.byClass("rect", "bar");
        double prevRight = Double.NaN;
        int contiguous = 0;
        for (Element b : bars.subList(0, bars.size() - 1)) { // the body: every whole µs from 3 to 40 holds samples
            double x = SvgAxes.num(b, "x"), w = SvgAxes.num(b, "width");
            double from = svg.value("x", x, true), to = svg.value("x", x + w, true);
            assertThat(to - from).as("width of bin from %.0f ns", from).isGreaterThanOrEqualTo(1000 * 0.99);
            if (!Double.isNaN(prevRight)) {
                assertThat(x).as("no gap before bin from %.0f ns", from).isCloseTo(prevRight, within(0.02));
                contiguous++;
            }
            prevRight = x + w;
        }
        assertThat(contiguous).isGreaterThan(10);
    }

    @Test
    void overTimeHasOnePointPerIntervalAndOneLabelledSeriesPerThread() throws Exception {
        List<IntervalMax> intervals = new ArrayList<>();
        long t0 = 1_700_000_000_000L;
        for (int thread = 0; thread < 3; thread++) {
            for (int k = 0; k < 12; k++) {
                long max = (k == 7 && thread == 2) ? OUTLIER_NS : 10_000 + 1000L * k + thread * 500L;
                intervals.add(new IntervalMax(thread, thread + 1, t0 + k * 1000L, t0 + (k + 1) * 1000L, 1000, max));
            }
        }
        intervals.add(new IntervalMax(0, 1, t0 + 12_000, t0 + 13_000, 0, -1)); // an interval without samples draws nothing
        SvgAxes svg = new SvgAxes(LatencyCharts.overTime("over time", intervals).svg());
        List<Element> series = svg.byClass("path", "series");
        assertThat(series).hasSize(3);
        for (Element s : series) assertThat(SvgAxes.points(s)).hasSize(12);
        assertThat(svg.byClass("text", "legend").stream().map(Element::getTextContent)).containsExactly("CPU 1", "CPU 2", "CPU 3");
        assertThat(maxLabel(svg)).isEqualTo("max 111 ms at 8 s");
        List<double[]> third = SvgAxes.points(series.get(2));
        double[] worst = third.get(7);
        assertThat(svg.value("x", worst[0], false)).isCloseTo(8.0, within(0.05));
        assertThat(svg.value("y", worst[1], true)).isCloseTo(OUTLIER_NS, within(OUTLIER_NS * 0.002));
        assertThat(LatencyCharts.overTime("none", List.of())).isNull();
    }

    @Test
    void latencyTicksReadAsMicrosecondsAndMilliseconds() throws Exception {
        SvgAxes svg = new SvgAxes(LatencyCharts.ccdf("ccdf", samples()).svg());
        assertThat(svg.byClass("text", "x").stream().map(Element::getTextContent))
                .containsExactly("1 µs", "10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s");
        assertThat(svg.byClass("text", "y").stream().map(Element::getTextContent)).contains("1", "0.1", "0.01", "10⁻³", "10⁻⁵");
        assertThat(Chart.latencyLabel(1_500_000)).isEqualTo("1.5 ms");
        assertThat(Chart.latencyLabel(111_016_447)).isEqualTo("111 ms");
        assertThat(Chart.latencyLabel(12_345)).isEqualTo("12.3 µs");
    }

    @Test
    void samplesBeyondTheHistogramStillEndTheCcdfAtTheMaximum() throws Exception {
        AbstractHistogram h = LatencyHistograms.create();
        for (int i = 0; i < 999; i++) h.recordValue(1000L * (5 + i % 20));
        // cyclictest -h 1000: the 111 ms sample is counted in the overflows, not in the histogram
        LatencyCharts.Samples s = new LatencyCharts.Samples(h, 1000, OUTLIER_NS, 1);
        SvgAxes svg = new SvgAxes(LatencyCharts.ccdf("ccdf", s).svg());
        List<double[]> pts = SvgAxes.points(svg.byClass("path", "series").get(0));
        assertThat(svg.value("x", pts.get(pts.size() - 1)[0], true)).isCloseTo(OUTLIER_NS, within(OUTLIER_NS * 0.002));
        assertThat(svg.value("y", pts.get(pts.size() - 1)[1], true)).isCloseTo(1e-3, within(1e-5));
        assertThat(maxLabel(svg)).isEqualTo("max 111 ms (1 beyond the histogram)");
        assertThat(maxLabel(new SvgAxes(LatencyCharts.histogram("h", s).svg()))).isEqualTo("max 111 ms (1 beyond the histogram)");
    }

    private static String maxLabel(SvgAxes svg) {
        List<Element> labels = svg.byClass("text", "max-label");
        assertThat(labels).hasSize(1);
        return labels.get(0).getTextContent();
    }
}
