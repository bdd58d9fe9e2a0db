package org.vmlat.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeAnalyzer;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceLineParser;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.w3c.dom.Element;

/**
 * The explained spikes in the reports, read back from what is drawn and printed and compared with the stored
 * explanations: two windows recorded on this machine (a SCHED_FIFO task spinning on the probe's CPU; kdamond keeping
 * it after a wake-up), analysed, stored as a scenario's JSON as lab runs store them.
 */
class ExplainedSpikesReportTest {
    static SpikeExplanation analysed(String trace, int tid, long expiresNs, long measuredNs) throws IOException {
        try (InputStream in = ExplainedSpikesReportTest.class.getResourceAsStream("/org/vmlat/explain/" + trace)) {
            List<TraceEvent> events = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) TraceLineParser.parse(l).ifPresent(events::add);
            return SpikeAnalyzer.explain(events, 0, tid, expiresNs, measuredNs);
        }
    }

    static SpikeExplanation busy() throws IOException {
        return analysed("spike-busy.trace", 21658, 11_150_920_233_182L, 2_690_000);
    }

    static SpikeExplanation kdamond() throws IOException {
        return analysed("spike-kdamond.trace", 17732, 3_558_694_769_110L, 161_000);
    }

    /** A stored scenario as the lab keeps a traced one: the explanations' JSON (the milder spike first) and the threshold. */
    static ScenarioRecord traced(List<SpikeExplanation> spikes) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("probe", "builtin");
        dims.put("load", "scheduler");
        Histogram h = LatencyHistograms.create();
        h.recordValue(2_690_000);
        h.recordValue(161_000);
        return new ScenarioRecord(1, 1, 0, dims, ScenarioStatus.DONE, null, 0, 0, 1_000_000_000L, "", "",
                Map.of(SettingsKeys.EXPLAIN, ExplanationJson.write(spikes), SettingsKeys.TRACE_THRESHOLD_NS, "100000"), List.of(), true,
                List.of(ThreadSummary.of(new ThreadResult(0, 1, 1_000_000, 1, 2, 161_000, 2_690_000, 2_851_000, 0, 0, h, List.of()))));
    }

    /** The width of a rect in ns, read off the axis' tick labels. */
    private static double widthNs(SvgAxes svg, Element rect) {
        double x = SvgAxes.num(rect, "x");
        return svg.value("x", x + SvgAxes.num(rect, "width"), false) - svg.value("x", x, false);
    }

    @Test
    void theTimelineDrawsEachPartAsLongAsTheExplanationSays() throws Exception {
        SpikeExplanation e = busy();
        SvgAxes svg = new SvgAxes(SpikeTimelineChart.svg(e, "busy"));
        // one pixel of the 688-point plot is this many ns: the drawing's own precision
        double pixelNs = svg.value("x", 200, false) - svg.value("x", 199, false);
        for (Part p : Part.values()) {
            List<Element> bars = svg.byClass("rect", "part").stream().filter(r -> r.getAttribute("class").endsWith(" " + p.symbol())).toList();
            double drawn = 0;
            for (Element r : bars) drawn += widthNs(svg, r);
            long segments = e.timeline().stream().filter(s -> s.part() == p).count();
            // a stretch narrower than half a point is drawn half a point wide, so that it is seen
            assertThat(drawn).as("%s drawn", p).isCloseTo(e.partNs(p), within(pixelNs * (1 + segments)));
            assertThat(bars).hasSize((int) segments);
            Element total = svg.byClass("text", "part-total").stream().filter(t -> t.getAttribute("class").endsWith(" " + p.symbol())).findFirst().orElseThrow();
            assertThat(total.getTextContent()).isEqualTo(SpikeTimelineChart.symbol(p) + String.format(Locale.ROOT, " %.1f µs", e.partNs(p) / 1000.0));
        }
        // the marks stand at the kernel's moments, read back from the axis
        Map<String, Long> at = Map.of("expiry", e.expiresNs(), "irq", e.timerIrqNs(), "wakeup", e.wakeupNs(), "switch-in", e.switchInNs(),
                "clock-read", e.expiresNs() + e.latencyNs());
        for (Map.Entry<String, Long> m : at.entrySet()) {
            Element line = svg.byClass("line", m.getKey()).get(0);
            assertThat(svg.value("x", SvgAxes.num(line, "x1"), false)).as(m.getKey()).isCloseTo(m.getValue() - e.expiresNs(), within(pixelNs));
        }
        // the CPU lane names what ran: the spinning task's stretch is the widest, in I's colour
        Element widest = svg.byClass("rect", "segment").stream().max((a, b) -> Double.compare(SvgAxes.num(a, "width"), SvgAxes.num(b, "width"))).orElseThrow();
        assertThat(widest.getElementsByTagName("title").item(0).getTextContent()).startsWith("vmlat-busy (pid 21674): ");
        assertThat(widest.getAttribute("stroke")).isEqualTo(SpikeTimelineChart.PART_COLORS[Part.INTERFERENCE.ordinal()]);
    }

    @Test
    void theHtmlReportDrawsTheStoredSpikesWorstFirstWithTheirParts() throws Exception {
        ScenarioRecord sc = traced(List.of(kdamond(), busy()));
        List<ScenarioRecord> all = List.of(sc);
        Histogram h = LatencyHistograms.create();
        h.recordValue(2_690_000);
        h.recordValue(161_000);
        WorstCaseTable.Pivot p = WorstCaseTable.pivot(all, List.of("probe"), List.of("load"), WorstCaseTable.Metric.MAX);
        String page = HtmlReport.write(ExportFormatsTest.run(), List.of(new HtmlReport.ScenarioData(sc, h, null, List.of())), p, p, p, null, List.of());
        List<SpikeExplanation> stored = ExplanationJson.read(sc.settings().get(SettingsKeys.EXPLAIN));
        stored = stored.stream().sorted((a, b) -> Long.compare(b.latencyNs(), a.latencyNs())).toList();
        Matcher svgs = Pattern.compile("<svg[^>]*aria-label=\"T0 at [^\"]*\".*?</svg>", Pattern.DOTALL).matcher(page);
        int i = 0;
        while (svgs.find()) {
            SvgAxes svg = new SvgAxes(svgs.group());
            SpikeExplanation e = stored.get(i++);
            assertThat(svg.byClass("text", "title").get(0).getTextContent()).contains(Long.toString(e.expiresNs()));
            for (Part part : Part.values()) {
                String total = svg.byClass("text", "part-total").stream().filter(t -> t.getAttribute("class").endsWith(" " + part.symbol()))
                        .findFirst().orElseThrow().getTextContent();
                assertThat(total).isEqualTo(SpikeTimelineChart.symbol(part) + String.format(Locale.ROOT, " %.1f µs", e.partNs(part) / 1000.0));
            }
        }
        assertThat(i).as("one timeline per stored spike").isEqualTo(2);
        // the run's table: the shares of the parts over both spikes
        long total = stored.stream().mapToLong(e -> e.l1Ns() + e.l2Ns() + e.interferenceNs()).sum();
        Matcher row = Pattern.compile("<table class=\"explain-shares\">.*?<tr><td>1\\. builtin / scheduler</td><td>100 µs</td><td>2</td><td>([0-9.]+)</td>"
                + "<td>(\\d+)%</td><td>(\\d+)%</td><td>(\\d+)%</td></tr>").matcher(page);
        assertThat(row.find()).as(page.substring(page.indexOf("<section id=\"explained\">"))).isTrue();
        assertThat(Double.parseDouble(row.group(1))).isEqualTo((2_690_000 + 161_000) / 1000.0);
        for (Part part : Part.values()) {
            long sum = stored.stream().mapToLong(e -> e.partNs(part)).sum();
            assertThat(Integer.parseInt(row.group(2 + part.ordinal()))).as("%s share", part).isEqualTo((int) Math.round(100.0 * sum / total));
        }
        // the explanations' JSON is not dumped among the settings
        assertThat(page).doesNotContain("vmlat-explain/1");
    }

    @Test
    void theTextAndMarkdownReportsListTheSharesAndTheTopCauses() throws Exception {
        List<ScenarioRecord> all = List.of(traced(List.of(kdamond(), busy())));
        String text = ExplanationTables.render(all, WorstCaseTable.Format.TEXT);
        System.out.print(text);
        String shares = text.lines().filter(l -> l.startsWith("1. builtin / scheduler") && l.endsWith("%")).findFirst().orElseThrow();
        List<String> cells = List.of(shares.substring("1. builtin / scheduler".length()).trim().split("\\s+"));
        // threshold (two cells: "100 µs"), spikes, explained, L1, L2, I
        assertThat(cells).hasSize(7);
        assertThat(cells.get(2)).isEqualTo("2");
        // worked out in the analyzer's tests: vmlat-busy 2655 us (I), then kdamond.0 139 us (L2)
        List<String> causes = text.lines().filter(l -> l.startsWith("1. builtin / scheduler") && !l.endsWith("%")).toList();
        assertThat(causes).hasSize(ExplanationTables.TOP_CAUSES);
        assertThat(causes.get(0)).contains("vmlat-busy (pid 21674)").contains("2655.0");
        assertThat(causes.get(1)).contains(" L2 ").contains("kdamond.0 (pid 76, prio 120)").contains("139.0");
        String markdown = ExplanationTables.render(all, WorstCaseTable.Format.MARKDOWN);
        assertThat(markdown).contains("| 1. builtin / scheduler | 100 µs | 2 | 2851.0 |");
        assertThat(ExplanationTables.render(all, WorstCaseTable.Format.CSV)).isEmpty();
        assertThat(ExplanationTables.render(List.of(ExportFormatsTest.scenarios().get(0)), WorstCaseTable.Format.TEXT)).isEmpty();
    }
}
