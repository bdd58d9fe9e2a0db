package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.explain.ClockAlignment;
import org.vmlat.explain.CrossBoundary;
import org.vmlat.explain.CrossBoundaryJson;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.HostCause;
import org.vmlat.explain.SpikeExplanation;
import org.w3c.dom.Element;

/**
 * A guest spike's host lanes read back from the SVG: a spike explained in a TCG guest on this machine (L = 80.2 ms,
 * due at guest 14.343815971 s) with a host side written by hand at a known clock offset, so that where each stretch
 * must stand on the guest's axis is worked out from the offset, not from the drawing code.
 */
class HostLanesChartTest {
    /** The real run's offset (guest clock minus host clock) and a bound of 555 us. */
    static final long OFFSET = -22_653_856_137_754L, ERROR = 555_000;
    static final long DUE = 14_343_815_971L, DUE_HOST = DUE - OFFSET;

    static String resource(String name) throws IOException {
        try (InputStream in = HostLanesChartTest.class.getResourceAsStream("/org/vmlat/explain/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static SpikeExplanation guestSpike() throws IOException {
        return ExplanationJson.read(resource("explain-guest-tcg.json")).stream().filter(e -> e.expiresNs() == DUE).findFirst().orElseThrow();
    }

    /**
     * The host side: QEMU's main loop waiting for a CPU from 3 ms before the wake-up was due to 60 ms after it (so cut
     * at the axis' left end), the vCPU thread preempted by hackbench from +10 to +30 ms, waiting +30 to +31 ms, preempted
     * by a kworker +40 to +40.5 ms. Times given on the host's clock.
     */
    static CrossBoundary side(long latencyNs) {
        long to = DUE_HOST + latencyNs;
        HostCause main = new HostCause("qemu-system-x86", 25237, HostCause.State.WAITING, 60_000_000, "",
                List.of(new HostCause.Interval(DUE_HOST - 3_000_000, DUE_HOST + 60_000_000, "")));
        HostCause preempted = new HostCause("CPU 0/TCG", 25240, HostCause.State.PREEMPTED, 20_500_000, "hackbench (pid 4711)",
                List.of(new HostCause.Interval(DUE_HOST + 10_000_000, DUE_HOST + 30_000_000, "hackbench (pid 4711)"),
                        new HostCause.Interval(DUE_HOST + 40_000_000, DUE_HOST + 40_500_000, "kworker/0:1 (pid 88)")));
        HostCause waiting = new HostCause("CPU 0/TCG", 25240, HostCause.State.WAITING, 1_000_000, "",
                List.of(new HostCause.Interval(DUE_HOST + 30_000_000, DUE_HOST + 31_000_000, "")));
        return new CrossBoundary(134, DUE, DUE_HOST, to, List.of(main, preempted, waiting));
    }

    private static List<String> texts(SvgAxes svg, String cls) {
        return svg.byClass("text", cls).stream().map(Element::getTextContent).toList();
    }

    /** A rect's left and right ends on the axis, in ns since the intended wake-up. */
    private static double[] span(SvgAxes svg, Element r) {
        double x = SvgAxes.num(r, "x");
        return new double[] {svg.value("x", x, false), svg.value("x", x + SvgAxes.num(r, "width"), false)};
    }

    @Test
    void theHostLanesStandBelowTheGuestsOnTheGuestsAxisWhereTheAlignmentPlacesThem() throws Exception {
        SpikeExplanation e = guestSpike();
        SvgAxes svg = new SvgAxes(SpikeTimelineChart.svg(e, new ClockAlignment(OFFSET, ERROR, 22, 0), side(e.latencyNs()), "guest"));
        double pixelNs = svg.value("x", 201, false) - svg.value("x", 200, false);
        // guest lanes as before, then one lane per QEMU thread, the vCPU thread first although the main loop waited longer
        assertThat(texts(svg, "cpu")).containsExactly("CPU 0");
        assertThat(svg.byClass("text", "part-total")).hasSize(3);
        assertThat(texts(svg, "host-thread")).containsExactly("CPU 0/TCG", "qemu-system-x86");
        assertThat(texts(svg, "host-tid")).containsExactly("tid 25240", "tid 25237");
        List<Element> lanes = svg.byClass("text", "host-thread");
        double partsBottom = svg.byClass("text", "part-total").stream().mapToDouble(t -> SvgAxes.num(t, "y")).max().orElseThrow();
        assertThat(SvgAxes.num(lanes.get(0), "y")).isGreaterThan(partsBottom).isLessThan(SvgAxes.num(lanes.get(1), "y"));
        assertThat(texts(svg, "host-alignment")).containsExactly("QEMU threads on this machine, placed ±555.0 µs by the clock alignment");
        assertThat(texts(svg, "host-legend")).containsExactly("preempted", "waiting for a CPU");

        // each stretch: its lane, its state, its culprit, and its ends at the host time plus the offset
        List<Element> stretches = svg.byClass("rect", "host-stretch");
        assertThat(stretches).hasSize(4);
        record Expected(String cls, String lane, String words, long fromNs, long toNs) {}
        List<Expected> expected = List.of(
                new Expected("preempted", "CPU 0/TCG", "preempted by hackbench (pid 4711)", 10_000_000, 30_000_000),
                new Expected("waiting", "CPU 0/TCG", "waiting for a CPU", 30_000_000, 31_000_000),
                new Expected("preempted", "CPU 0/TCG", "preempted by kworker/0:1 (pid 88)", 40_000_000, 40_500_000),
                new Expected("waiting", "qemu-system-x86", "waiting for a CPU", -3_000_000, 60_000_000));
        double axisLeft = svg.value("x", SvgAxes.num(svg.byClass("rect", "frame").get(0), "x"), false);
        for (int i = 0; i < expected.size(); i++) {
            Expected x = expected.get(i);
            Element r = stretches.get(i);
            String title = r.getElementsByTagName("title").item(0).getTextContent();
            System.out.println(title);
            assertThat(r.getAttribute("class")).isEqualTo("host-stretch " + x.cls());
            assertThat(r.getAttribute("stroke")).isEqualTo(SpikeTimelineChart.STATE_COLORS[HostCause.State.of(x.words().startsWith("preempted")
                    ? "preempted" : "waiting for a CPU").ordinal()]);
            assertThat(title).startsWith((x.lane().startsWith("CPU") ? "vCPU" : "QEMU") + " thread " + x.lane()).contains(") " + x.words() + ": ")
                    .endsWith("(±555.0 µs)");
            double laneY = SvgAxes.num(svg.byClass("text", "host-thread").stream().filter(t -> t.getTextContent().equals(x.lane())).findFirst().orElseThrow(), "y");
            assertThat(SvgAxes.num(r, "y")).isBetween(laneY - 22, laneY);
            double[] at = span(svg, r);
            // the main loop's stretch began before the axis: drawn from the axis' left end, its title tells its start
            assertThat(at[0]).as("start of %s", x.words()).isCloseTo(Math.max(x.fromNs(), axisLeft), within(pixelNs));
            assertThat(at[1]).as("end of %s", x.words()).isCloseTo(x.toNs(), within(pixelNs));
        }
        assertThat(stretches.get(3).getElementsByTagName("title").item(0).getTextContent()).contains("63000.0 µs, -3000.0 µs to +60000.0 µs");
        // the bound drawn around the expiry: 2 x 555 us wide on the axis
        Element bracket = svg.byClass("line", "alignment-error").get(0);
        assertThat(svg.value("x", SvgAxes.num(bracket, "x1"), false)).isCloseTo(-555_000, within(pixelNs));
        assertThat(svg.value("x", SvgAxes.num(bracket, "x2"), false)).isCloseTo(555_000, within(pixelNs));
        // the kernel's marks run down through the host lanes
        Element irq = svg.byClass("line", "irq").get(0);
        assertThat(SvgAxes.num(irq, "y2")).isGreaterThan(SvgAxes.num(lanes.get(1), "y"));
    }

    @Test
    void anotherOffsetMovesEveryHostStretchByTheDifferenceAndNoGuestMark() throws Exception {
        SpikeExplanation e = guestSpike();
        CrossBoundary side = side(e.latencyNs());
        SvgAxes a = new SvgAxes(SpikeTimelineChart.svg(e, new ClockAlignment(OFFSET, ERROR, 22, 0), side, "guest"));
        // the guest's clock 5 ms further ahead: the same host instants land 5 ms later on the guest's axis
        SvgAxes b = new SvgAxes(SpikeTimelineChart.svg(e, new ClockAlignment(OFFSET + 5_000_000, ERROR, 22, 0), side, "guest"));
        double pixelNs = a.value("x", 201, false) - a.value("x", 200, false);
        List<Element> ra = a.byClass("rect", "host-stretch"), rb = b.byClass("rect", "host-stretch");
        assertThat(rb).hasSize(ra.size());
        for (int i = 0; i < 3; i++) {
            assertThat(span(b, rb.get(i))[0] - span(a, ra.get(i))[0]).isCloseTo(5_000_000, within(pixelNs));
            assertThat(span(b, rb.get(i))[1] - span(a, ra.get(i))[1]).isCloseTo(5_000_000, within(pixelNs));
        }
        for (String mark : List.of("expiry", "irq", "wakeup", "switch-in")) {
            assertThat(SvgAxes.num(b.byClass("line", mark).get(0), "x1")).isEqualTo(SvgAxes.num(a.byClass("line", mark).get(0), "x1"));
        }
    }

    @Test
    void aHostSideStoredWithDurationsOnlyGetsItsLanesInWordsWithoutStretches() throws Exception {
        SpikeExplanation e = guestSpike();
        CrossBoundaryJson.Document old = CrossBoundaryJson.read(resource("explain-host-v1-durations.json"));
        SvgAxes svg = new SvgAxes(SpikeTimelineChart.svg(e, old.alignment(), old.spike(134, DUE).orElseThrow(), "guest"));
        assertThat(texts(svg, "host-thread")).containsExactly("CPU 0/TCG", "qemu-system-x86");
        assertThat(svg.byClass("rect", "host-stretch")).isEmpty();
        assertThat(texts(svg, "host-untimed")).containsExactly(
                "not running 19578.0 µs: waiting for a CPU 19301.0 µs, preempted by java (pid 25503) 277.0 µs (stored without its times)",
                "not running 60121.0 µs: waiting for a CPU 60121.0 µs (stored without its times)");
        assertThat(texts(svg, "host-alignment")).containsExactly("QEMU threads on this machine, placed ±1050.9 µs by the clock alignment");
    }

    @Test
    void aSpikeWithoutAHostSideHasNoHostLanes() throws Exception {
        SvgAxes svg = new SvgAxes(SpikeTimelineChart.svg(guestSpike(), "guest"));
        assertThat(svg.byClass("text", "host-head")).isEmpty();
        assertThat(svg.byClass("rect", "host-stretch")).isEmpty();
        SvgAxes none = new SvgAxes(SpikeTimelineChart.svg(guestSpike(), new ClockAlignment(OFFSET, ERROR, 22, 0),
                new CrossBoundary(134, DUE, DUE_HOST, DUE_HOST + 1000, List.of()), "guest"));
        assertThat(texts(none, "host-none")).containsExactly("no QEMU thread was kept off its CPU in the spike");
    }
}
