package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.explain.CrossBoundary;
import org.vmlat.explain.CrossBoundaryJson;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.ExplanationSummary;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.store.ScenarioRecord;

/**
 * The explained spikes of a run's traced scenarios: per scenario the share of L¹, L² and I in the latency of its
 * explained spikes and the causes that took most time, as tables in the report's formats and as HTML with a timeline
 * of each of the worst spikes ({@link SpikeTimelineChart}), with the host's lanes for a guest spike whose host side
 * was stored. Scenarios run without tracing are not listed.
 */
public final class ExplanationTables {
    /** Causes listed per scenario. */
    static final int TOP_CAUSES = 3;
    /** Spikes drawn per scenario in the HTML report, worst first. */
    static final int TIMELINES = 5;

    /** A traced scenario with its explanations, worst first, or why they cannot be read. */
    record Traced(ScenarioRecord scenario, List<SpikeExplanation> spikes, String problem) {
        String label() {
            return (scenario.index() + 1) + ". " + HtmlReport.label(scenario);
        }

        String threshold() {
            String t = scenario.settings().get(SettingsKeys.TRACE_THRESHOLD_NS);
            return t == null ? "-" : Chart.latencyLabel(Long.parseLong(t));
        }
    }

    private ExplanationTables() {}

    /** The traced scenarios of {@code all}, in their order. */
    static List<Traced> traced(List<ScenarioRecord> all) {
        List<Traced> out = new ArrayList<>();
        for (ScenarioRecord s : all) {
            String json = s.settings().get(SettingsKeys.EXPLAIN);
            if (json == null) continue;
            try {
                List<SpikeExplanation> spikes = new ArrayList<>(ExplanationJson.read(json));
                spikes.sort((a, b) -> Long.compare(b.latencyNs(), a.latencyNs()));
                out.add(new Traced(s, spikes, null));
            } catch (IllegalArgumentException e) {
                out.add(new Traced(s, List.of(), e.getMessage()));
            }
        }
        return out;
    }

    /**
     * The shares and the top causes as two tables in {@code f}; empty when no scenario was traced, and in CSV and
     * JSON (one table, one document).
     */
    public static String render(List<ScenarioRecord> all, WorstCaseTable.Format f) {
        List<Traced> traced = traced(all);
        if (traced.isEmpty() || f == WorstCaseTable.Format.CSV || f == WorstCaseTable.Format.JSON) return "";
        StringBuilder out = new StringBuilder("\nExplained spikes (L = L1 timer late + L2 non-preemptible + I interference; share of their latency):\n");
        out.append(WorstCaseTable.table(sharesHeader(), shares(traced), f));
        out.append("\nTop causes (time over the explained spikes):\n");
        out.append(WorstCaseTable.table(List.of("scenario", "part", "cause", "time (us)", "in spikes"), causes(traced), f));
        for (Traced t : traced) if (t.problem() != null) out.append(t.label()).append(": explanations unreadable: ").append(t.problem()).append('\n');
        return out.toString();
    }

    private static List<String> sharesHeader() {
        return List.of("scenario", "threshold", "spikes", "explained (us)", "L1", "L2", "I");
    }

    private static List<List<String>> shares(List<Traced> traced) {
        List<List<String>> rows = new ArrayList<>();
        for (Traced t : traced) {
            ExplanationSummary s = ExplanationSummary.of(t.spikes(), TOP_CAUSES);
            List<String> row = new ArrayList<>(List.of(t.label(), t.threshold(), Integer.toString(s.spikes()), Micros.of(s.latencyNs())));
            for (Part p : Part.values()) row.add(s.spikes() == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * s.share(p)));
            rows.add(row);
        }
        return rows;
    }

    private static List<List<String>> causes(List<Traced> traced) {
        List<List<String>> rows = new ArrayList<>();
        for (Traced t : traced) {
            for (ExplanationSummary.TopCause c : ExplanationSummary.of(t.spikes(), TOP_CAUSES).topCauses()) {
                rows.add(List.of(t.label(), c.cause().part().symbol(), c.cause().label(), Micros.of(c.cause().durationNs()), Integer.toString(c.spikes())));
            }
        }
        return rows;
    }

    /** The run's section of the HTML report: both tables; empty when no scenario was traced. */
    static String htmlSummary(List<ScenarioRecord> all) {
        List<Traced> traced = traced(all);
        if (traced.isEmpty()) return "";
        StringBuilder h = new StringBuilder("<section id=\"explained\"><h2>Explained spikes: L = L¹ (timer late) + L² (non-preemptible) + I (interference)</h2>");
        h.append(htmlTable("explain-shares", sharesHeader(), shares(traced)));
        h.append(htmlTable("explain-causes", List.of("scenario", "part", "cause", "time (us)", "in spikes"), causes(traced)));
        return h.append("</section>").toString();
    }

    /** A scenario's timelines, worst spike first (at most {@link #TIMELINES}); empty when it was not traced. */
    static String htmlTimelines(ScenarioRecord s) {
        List<Traced> traced = traced(List.of(s));
        if (traced.isEmpty()) return "";
        Traced t = traced.get(0);
        StringBuilder h = new StringBuilder("<div class=\"explained\" data-scenario=\"").append(s.index() + 1).append("\">");
        if (t.problem() != null) return h.append("<p class=\"warn\">Explanations unreadable: ").append(SvgCanvas.esc(t.problem())).append("</p></div>").toString();
        h.append("<p>").append(t.spikes().size()).append(" spike(s) explained");
        if (t.spikes().size() > TIMELINES) h.append(", the worst ").append(TIMELINES).append(" drawn");
        h.append(" (vmlat explain RUN:").append(s.index() + 1).append(" lists them with their trace files).</p>");
        CrossBoundaryJson.Document host = null;
        String hostJson = s.settings().get(SettingsKeys.EXPLAIN_HOST);
        if (hostJson != null) {
            try {
                host = CrossBoundaryJson.read(hostJson);
                h.append("<p>Below each guest lane, the host's lanes: QEMU's threads on this machine that did not run in the spike, placed on the "
                        + "guest's clock within ±").append(SvgCanvas.esc(SpikeTimelineChart.us(host.alignment().errorNs())))
                        .append(" (the clock alignment's bound, from ").append(host.alignment().samples()).append(" round trips).</p>");
            } catch (IllegalArgumentException ex) {
                h.append("<p class=\"warn\">Host side unreadable: ").append(SvgCanvas.esc(ex.getMessage())).append("</p>");
            }
        }
        h.append("<div class=\"charts\">");
        for (SpikeExplanation e : t.spikes().subList(0, Math.min(TIMELINES, t.spikes().size()))) {
            if (e.timeline().isEmpty()) {
                h.append("<p>Spike at ").append(e.expiresNs()).append(" ns: stored without a timeline.</p>");
                continue;
            }
            String title = String.format(Locale.ROOT, "T%s at %d ns: L = %s", e.thread() < 0 ? "?" : e.thread(), e.expiresNs(),
                    SpikeTimelineChart.us(e.latencyNs()));
            CrossBoundary side = host == null ? null : host.spike(e.tid(), e.expiresNs()).orElse(null);
            h.append(SpikeTimelineChart.svg(e, side == null ? null : host.alignment(), side, title));
        }
        return h.append("</div></div>").toString();
    }

    static String htmlTable(String cls, List<String> header, List<List<String>> rows) {
        StringBuilder h = new StringBuilder("<table class=\"").append(cls).append("\"><tr>");
        for (String c : header) h.append("<th>").append(SvgCanvas.esc(c)).append("</th>");
        h.append("</tr>");
        for (List<String> r : rows) {
            h.append("<tr>");
            for (String c : r) h.append("<td>").append(SvgCanvas.esc(c)).append("</td>");
            h.append("</tr>");
        }
        return h.append("</table>").toString();
    }
}
