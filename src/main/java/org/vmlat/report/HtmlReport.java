package org.vmlat.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.stats.Comparison;
import org.vmlat.stats.Distribution;
import org.vmlat.stats.TailModel;
import org.vmlat.store.RunRecord;
import org.vmlat.store.IntervalMax;
import org.vmlat.store.RunStatus;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * The self-contained HTML report of a run: one file, charts as inline SVG, a few lines of script
 * for the overlay checkboxes, no external resources, so it opens offline in any browser.
 */
public final class HtmlReport {
    /** A scenario's merged histogram, when fitted its tail, and the worst sample of each interval (may be empty). */
    public record ScenarioData(ScenarioRecord scenario, AbstractHistogram histogram, TailModel tail, List<IntervalMax> intervals) {}

    /** Rows comparing this run (A) with another (B). */
    public record ComparedPair(String label, List<Comparison.Row> rows) {}

    private HtmlReport() {}

    public static String write(RunRecord run, List<ScenarioData> data, WorstCaseTable.Pivot max, WorstCaseTable.Pivot p999,
                               WorstCaseTable.Pivot mean, String comparedRun, List<ComparedPair> compared) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vmlat run ").append(run.id()).append("</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}.warn{color:#a00}.chart{background:#fff}")
                .append(".charts{display:flex;flex-wrap:wrap;gap:8px}")
                .append("section{margin-bottom:28px}details{margin:4px 0}code{font-size:12px}.failed{background:#fdd}")
                .append("</style></head><body>");
        h.append("<h1>vmlat run ").append(run.id()).append(": ").append(esc(run.name())).append("</h1>");
        h.append("<p>Plan <code>").append(esc(run.planFile())).append("</code>, ").append(esc(run.status().storedName())).append(", started ")
                .append(Instant.ofEpochMilli(run.startedMs())).append(". Host: ").append(esc(run.system().getOrDefault("kernel.release", "?")))
                .append(" ").append(esc(run.system().getOrDefault("kernel.preemption", ""))).append(", clocksource ")
                .append(esc(run.system().getOrDefault("clocksource", "?"))).append(", virtualization ")
                .append(esc(run.system().getOrDefault("virtualization", "?"))).append(". Latency = wake-up time minus intended wake-up time, in microseconds.</p>");
        if (run.status() != RunStatus.DONE) h.append("<p class=\"warn\">This run is ").append(esc(run.status().storedName())).append(": the tables hold what was measured so far.</p>");
        List<String> emulated = Emulation.notes(data.stream().map(ScenarioData::scenario).toList());
        if (!emulated.isEmpty()) {
            h.append("<div class=\"warn\" id=\"emulated\">");
            for (String e : emulated) h.append("<p>").append(esc(e)).append("</p>");
            h.append("</div>");
        }
        h.append("<section><h2>Worst case</h2>");
        h.append(table("max", max)).append(table("p99.9", p999)).append(table("mean", mean));
        h.append("</section>");
        h.append(reservations(ReservationPrediction.rows(data.stream().map(ScenarioData::scenario).toList())));
        Map<ScenarioRecord, AbstractHistogram> merged = new java.util.IdentityHashMap<>();
        for (ScenarioData d : data) merged.put(d.scenario(), d.histogram());
        h.append(LatencyFloorTable.html(data.stream().map(ScenarioData::scenario).toList(), merged::get));
        h.append(ExplanationTables.htmlSummary(data.stream().map(ScenarioData::scenario).toList()));
        if (comparedRun != null) {
            h.append("<section id=\"compare\"><h2>This run (A) against run ").append(esc(comparedRun)).append(" (B)</h2>");
            for (ComparedPair c : compared) {
                h.append("<h3>").append(esc(c.label())).append("</h3><table><tr><th>percentile</th><th>A (us)</th><th>B (us)</th><th>B - A (us)</th><th>95% interval</th><th>B is</th></tr>");
                for (Comparison.Row r : c.rows()) {
                    h.append(String.format(Locale.ROOT, "<tr><td>p%s</td><td>%.1f</td><td>%.1f</td><td>%+.1f</td><td>[%+.1f, %+.1f]</td><td>%s</td></tr>",
                            pct(r.percentile()), r.aNs() / 1e3, r.bNs() / 1e3, r.diffNs() / 1e3, r.lowNs() / 1e3, r.highNs() / 1e3, r.verdict()));
                }
                h.append("</table>");
            }
            h.append("</section>");
        }
        // overlay of all CCDFs with checkboxes, each label in its line's colour
        List<String> labels = new ArrayList<>();
        List<LatencyCharts.Samples> samples = new ArrayList<>();
        h.append("<section><h2>Tails compared (fraction of samples at or above each latency)</h2><div id=\"overlay-controls\">");
        int i = 0;
        for (ScenarioData d : data) {
            String cls = "s" + i;
            h.append(String.format(Locale.ROOT, "<label style=\"color:%s\"><input type=\"checkbox\" data-series=\"%s\" %s> %s</label> ",
                    LatencyCharts.color(i), cls, i < 6 ? "checked" : "", esc(label(d.scenario()))));
            labels.add(label(d.scenario()));
            samples.add(LatencyCharts.Samples.of(d.scenario(), d.histogram()));
            i++;
        }
        Chart overlay = LatencyCharts.overlay("CCDF overlay", labels, samples);
        h.append("</div><div id=\"overlay\">").append(overlay == null ? "<p class=\"warn\">No samples: nothing to plot.</p>" : overlay.svg())
                .append("</div></section>");
        h.append("<section><h2>Scenarios</h2>");
        for (ScenarioData d : data) {
            ScenarioRecord s = d.scenario();
            h.append("<div class=\"scenario").append(s.status() == ScenarioStatus.FAILED ? " failed" : "").append("\" id=\"scenario-").append(s.index() + 1).append("\">");
            h.append("<h3>").append(s.index() + 1).append(". ").append(esc(label(s))).append(" &mdash; ").append(esc(s.status().storedName())).append("</h3>");
            if (s.reason() != null) h.append("<p class=\"warn\">").append(esc(s.reason())).append("</p>");
            List<String> warnings = new ArrayList<>(s.warnings());
            if (!s.realtime() && !s.threads().isEmpty()) warnings.add("NON-RT: not measured under a real-time policy");
            if (s.overruns() > 0) warnings.add(s.overruns() + " missed periods");
            if (run.system().getOrDefault("cpus.isolated", "").isEmpty()) warnings.add("measuring CPUs not isolated");
            for (String w : warnings) h.append("<p class=\"warn\">").append(esc(w)).append("</p>");
            LatencyCharts.Samples sm = LatencyCharts.Samples.of(s, d.histogram());
            if (sm.total() == 0) {
                h.append("<p class=\"warn\">No samples: nothing to plot.</p>");
            } else {
                if (d.histogram().getMaxValue() == d.histogram().getMinValue() && sm.overflows() == 0) {
                    h.append("<p class=\"warn\">Every sample has the same value: the charts show a single point.</p>");
                }
                if (sm.overflows() > 0) {
                    h.append("<p class=\"warn\">").append(sm.overflows()).append(" samples lay beyond the histogram's range; the largest was ")
                            .append(esc(Chart.latencyLabel(sm.maxNs()))).append(". The CCDF ends at it; the histogram marks it.</p>");
                }
                h.append("<div class=\"charts\">");
                h.append(LatencyCharts.histogram("histogram", sm).svg());
                h.append(LatencyCharts.ccdf("complementary CDF", sm).svg());
                Chart overTime = LatencyCharts.overTime("latency over time", d.intervals());
                if (overTime != null) h.append(overTime.svg());
                h.append("</div>");
                if (overTime == null) h.append("<p>No interval maxima stored for this scenario: no latency-over-time chart.</p>");
            }
            h.append(ExplanationTables.htmlTimelines(s));
            if (d.tail() != null) {
                TailModel t = d.tail();
                h.append("<p>pWCET (GPD over ").append(Micros.of(t.thresholdNs())).append(" us, fit ").append(esc(t.verdict())).append("): ");
                if (!t.verdict().equals("good")) {
                    // a tail that is not GPD-like gives numbers that mean nothing: none are shown
                    h.append("no bound from this fit (vmlat tail RUN:SCENARIO says why)");
                } else {
                    for (TailModel.Quantile q : t.quantiles()) {
                        h.append(String.format(Locale.ROOT, "%.0e: %s us [%s, %s]%s; ", q.probability(), TailFormat.us(q.valueNs()),
                                TailFormat.us(q.lowNs()), TailFormat.us(q.highNs()), q.extrapolated() ? " (extrapolated far beyond the data)" : ""));
                    }
                }
                h.append("</p>");
            }
            h.append("<details><summary>settings and facts</summary><table>");
            for (Map.Entry<String, String> e : s.settings().entrySet()) {
                // the console and the explanations (JSON) are shown in their own form
                if (e.getKey().equals(SettingsKeys.GUEST_CONSOLE) || e.getKey().equals(SettingsKeys.EXPLAIN) || e.getKey().equals(SettingsKeys.EXPLAIN_HOST)) continue;
                h.append("<tr><td>").append(esc(e.getKey())).append("</td><td><code>").append(esc(e.getValue())).append("</code></td></tr>");
            }
            h.append("<tr><td>probe command</td><td><code>").append(esc(String.valueOf(s.probeCommand()))).append("</code></td></tr>");
            h.append("<tr><td>load command</td><td><code>").append(esc(String.valueOf(s.loadCommands()))).append("</code></td></tr>");
            h.append("</table></details></div>");
        }
        h.append("</section><details><summary>host facts</summary><table>");
        run.system().forEach((k, v) -> h.append("<tr><td>").append(esc(k)).append("</td><td><code>").append(esc(v)).append("</code></td></tr>"));
        h.append("</table></details>");
        h.append("<script>window.onerror=function(m){document.body.dataset.error=m;};")
                .append("document.querySelectorAll('#overlay-controls input').forEach(function(c){")
                .append("function apply(){document.querySelectorAll('#overlay .'+c.dataset.series).forEach(function(p){p.style.display=c.checked?'':'none';});}")
                .append("c.addEventListener('change',apply);apply();});")
                .append("document.body.dataset.ready='ok';</script></body></html>\n");
        return h.toString();
    }

    /** The reserved scenarios' predicted bounds beside their measurements, and the sweep's chart ("" without reservations). */
    private static String reservations(List<ReservationPrediction.Row> rows) {
        if (rows.isEmpty()) return "";
        StringBuilder h = new StringBuilder("<section id=\"reservations\"><h2>Reservations: predicted bound against measurement</h2>")
                .append("<p>Predicted bound = the reservation's blackout Π + D − 2Θ (2(Π − Θ) when D = Π) + the maximum the same scenario showed")
                .append(" without a reservation in this run.</p><table><tr><th>scenario</th><th>reservation</th><th>Θ/Π</th><th>blackout (us)</th>")
                .append("<th>max without (us)</th><th>bound (us)</th><th>max (us)</th><th>p99.9 (us)</th><th>max/bound</th><th>verdict</th></tr>");
        for (ReservationPrediction.Row r : rows) {
            h.append("<tr").append(r.hasBound() && !r.inside() ? " class=\"failed\"" : "").append("><td><a href=\"#scenario-").append(r.scenario().index() + 1)
                    .append("\">").append(esc(label(r.scenario()))).append("</a></td><td>").append(esc(r.reservation())).append("</td>")
                    .append(String.format(Locale.ROOT, "<td>%.0f%%</td>", r.bandwidth() * 100)).append("<td>").append(Micros.of(r.blackoutNs()))
                    .append("</td><td>").append(r.baselineNs() < 0 ? "-" : Micros.of(r.baselineNs())).append("</td><td>")
                    .append(r.hasBound() ? Micros.of(r.boundNs()) : "-").append("</td><td>").append(Micros.of(r.maxNs())).append("</td><td>")
                    .append(r.p999Ns() < 0 ? "-" : Micros.of(r.p999Ns())).append("</td><td>")
                    .append(r.hasBound() ? String.format(Locale.ROOT, "%.2f", r.tightness()) : "-").append("</td><td>").append(esc(r.verdict())).append("</td></tr>");
        }
        h.append("</table>");
        Chart c = ReservationPrediction.chart(rows);
        if (c != null) h.append("<div class=\"charts\">").append(c.svg()).append("</div>");
        return h.append("</section>").toString();
    }

    public static String label(ScenarioRecord s) {
        List<String> parts = new ArrayList<>();
        s.dims().forEach((k, v) -> {
            if (!k.equals("repetition") || !v.equals("1")) parts.add(v);
        });
        return String.join(" / ", parts);
    }

    private static String table(String metric, WorstCaseTable.Pivot p) {
        StringBuilder sb = new StringBuilder("<table class=\"worst\" data-metric=\"").append(metric).append("\"><caption>")
                .append(metric).append(" latency (us)</caption><tr><th>").append(esc(String.join("/", p.rowDims()))).append(" \\ ")
                .append(esc(String.join("/", p.colDims()))).append("</th>");
        for (String c : p.cols()) sb.append("<th>").append(esc(c)).append("</th>");
        sb.append("</tr>");
        for (String r : p.rows()) {
            sb.append("<tr><td>").append(esc(r)).append("</td>");
            for (String c : p.cols()) {
                WorstCaseTable.Cell cell = p.cell(r, c);
                sb.append("<td").append(cell != null && cell.failed() > 0 ? " class=\"failed\"" : "").append(">")
                        .append(esc(WorstCaseTable.text(cell))).append("</td>");
            }
            sb.append("</tr>");
        }
        return sb.append("</table>").toString();
    }

    /** At most n points, kept evenly on a log scale of x and always including the last (the tail). */
    static List<Distribution.Point> thin(List<Distribution.Point> pts, int n) {
        if (pts.size() <= n) return pts;
        List<Distribution.Point> out = new ArrayList<>();
        double lo = Math.log(Math.max(1, pts.get(0).x())), hi = Math.log(Math.max(2, pts.get(pts.size() - 1).x()));
        double next = lo;
        for (int i = 0; i < pts.size(); i++) {
            double lx = Math.log(Math.max(1, pts.get(i).x()));
            if (lx >= next || i == pts.size() - 1 || pts.get(i).y() < 1e-4) {
                out.add(pts.get(i));
                next = lx + (hi - lo) / n;
            }
        }
        return out;
    }

    private static String pct(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    private static String esc(String s) {
        return SvgCanvas.esc(s == null ? "" : s);
    }
}
