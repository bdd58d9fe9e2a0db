package org.vmlat.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmlat.stats.PeaksOverThreshold;
import org.vmlat.stats.SampleOrderChecks;
import org.vmlat.stats.TailAnalysis;
import org.vmlat.stats.TailModel;

/**
 * The output of {@code vmlat tail}: per scenario, the peaks-over-threshold fit, the block-maxima
 * cross-check, where they disagree, and the assumptions behind the numbers, as text or JSON. A
 * quantile the model cannot bound is written "unbounded" (JSON null), never as a huge number; one
 * extrapolated more than three decades past the data is marked.
 */
public final class TailFormat {
    /** One scenario's tail. */
    public record ScenarioTail(int scenario, Map<String, String> dims, TailAnalysis analysis) {}

    /** The settings the fits were made with, as the user gave them. */
    public record Settings(long run, double thresholdQuantile, int bootstrap) {}

    private TailFormat() {}

    public static String text(Settings s, List<ScenarioTail> tails) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "# vmlat tail run %d: pWCET per activation, latencies in us, 95%% bootstrap intervals (%d resamples)%n",
                s.run(), s.bootstrap()));
        out.append(String.format(Locale.ROOT, "Peaks over threshold: GPD over the first bucket edge at or above the %s quantile (u)%n",
                Double.toString(s.thresholdQuantile())));
        List<List<String>> rows = new ArrayList<>();
        for (ScenarioTail t : tails) {
            TailModel m = t.analysis().peaksOverThreshold();
            rows.add(row(t, m, Long.toString(m.fitted()), Micros.of(m.thresholdNs())));
        }
        out.append(Table.render(header("over u", "u"), rows));
        out.append("Block maxima (cross-check): GEV over maxima of blocks of sqrt(N) activations\n");
        rows = new ArrayList<>();
        for (ScenarioTail t : tails) {
            TailModel m = t.analysis().blockMaxima();
            rows.add(row(t, m, Long.toString(m.fitted()), Long.toString(m.blockSize())));
        }
        out.append(Table.render(header("blocks", "block"), rows));
        boolean extrapolated = false, unbounded = false, poor = false;
        for (ScenarioTail t : tails) {
            for (TailModel m : List.of(t.analysis().peaksOverThreshold(), t.analysis().blockMaxima())) {
                poor |= !m.usable();
                for (TailModel.Quantile q : m.quantiles()) {
                    extrapolated |= q.extrapolated();
                    unbounded |= !q.bounded();
                }
            }
        }
        for (ScenarioTail t : tails) {
            List<String> notes = notes(t.analysis());
            if (notes.isEmpty()) continue;
            out.append("Scenario ").append(t.scenario()).append(":\n");
            for (String n : notes) out.append("  ").append(n).append('\n');
        }
        out.append("Each pWCET is the latency exceeded with that probability per activation.\n");
        if (extrapolated) {
            out.append(String.format(Locale.ROOT, "* extrapolated: the probability is below 1/(%.0f x samples), more than three decades beyond the data;"
                    + " analyze refuses it as a bound.%n", TailModel.EXTRAPOLATION_LIMIT));
        }
        if (unbounded) out.append("\"unbounded\": the fitted (or bootstrap) shape xi is 1 or more: the model gives no finite latency.\n");
        if (poor) {
            out.append("A \"poor\" fit means the tail does not follow the model (Q-Q correlation below ")
                    .append(PeaksOverThreshold.GOOD_FIT).append("): try --threshold 0.999 or a longer run; \"too few data\": measure longer.\n");
        }
        out.append("Assumptions:\n");
        for (String a : assumptions(tails)) out.append("  - ").append(a).append('\n');
        return out.toString();
    }

    public static String json(List<ScenarioTail> tails) {
        List<Object> list = new ArrayList<>();
        for (ScenarioTail t : tails) {
            TailAnalysis a = t.analysis();
            TailModel p = a.peaksOverThreshold();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", t.scenario());
            m.put("dims", t.dims());
            m.put("method", p.method().label + " (" + p.method().distribution + ")");
            m.put("samples", p.samples());
            m.put("exceedances", p.fitted());
            m.put("threshold_ns", p.thresholdNs());
            m.put("exceedance_rate", number(p.exceedanceRate()));
            m.putAll(parameters(p));
            m.put("block_maxima", blockMaxima(a.blockMaxima()));
            m.put("disagreements", a.disagreements());
            m.put("sample_order", sampleOrder(a.sampleOrder()));
            m.put("assumptions", assumptions(List.of(t)));
            list.add(m);
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(list) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> header(String count, String where) {
        return List.of("#", "scenario", "samples", count, where, "xi", "fit", "1e-6", "1e-9", "1e-12");
    }

    private static List<String> row(ScenarioTail t, TailModel m, String count, String where) {
        List<String> row = new ArrayList<>(List.of(Integer.toString(t.scenario()), String.join(" ", t.dims().values()),
                Long.toString(m.samples()), count, where, Double.isNaN(m.xi()) ? "-" : String.format(Locale.ROOT, "%.3f", m.xi()), m.verdict()));
        for (double p : PeaksOverThreshold.PROBABILITIES) {
            TailModel.Quantile q = m.at(p);
            row.add(q == null ? "-" : quantile(q));
        }
        return row;
    }

    private static String quantile(TailModel.Quantile q) {
        String v = us(q.valueNs());
        if (!Double.isNaN(q.lowNs())) v += " [" + us(q.lowNs()) + ", " + us(q.highNs()) + "]";
        return q.extrapolated() ? v + " *" : v;
    }

    /** Nanoseconds as microseconds, "unbounded" for +infinity, "-" for unknown (NaN). */
    public static String us(double ns) {
        return Double.isInfinite(ns) ? "unbounded" : Micros.of(ns);
    }

    private static List<String> notes(TailAnalysis a) {
        List<String> notes = new ArrayList<>();
        for (double p : a.disagreements()) {
            notes.add(String.format(Locale.ROOT, "the two methods disagree at %.0e: their intervals do not overlap, so one model is wrong there;"
                    + " do not use this tail as a bound", p));
        }
        TailModel p = a.peaksOverThreshold();
        if (p.usable() && Double.isFinite(p.upperEndpointNs())) {
            notes.add("the fitted tail is bounded (xi < 0) at " + Micros.of(p.upperEndpointNs())
                    + " us: a property of the fit over this run, not a proof that nothing larger happens");
        }
        SampleOrderChecks c = a.sampleOrder();
        if (c.tested()) {
            notes.add(String.format(Locale.ROOT, "sample order (%d of %d threads, %d exceedances of their kept spikes): independence p = %.3g%s,"
                            + " extremal index %.2f; stationarity p = %.3g%s", c.threadsTested(), c.threads(), c.exceedances(), c.independenceP(),
                    c.independent() ? "" : " (VIOLATED: spikes come in bursts)", c.extremalIndex(), c.stationarityP(),
                    c.stationary() ? "" : " (VIOLATED: the tail changed during the run)"));
        }
        return notes;
    }

    /** The assumptions behind the numbers, and what is known about each. */
    static List<String> assumptions(List<ScenarioTail> tails) {
        List<String> out = new ArrayList<>();
        long resolution = 1;
        int tested = 0;
        boolean violated = false;
        for (ScenarioTail t : tails) {
            resolution = Math.max(resolution, t.analysis().peaksOverThreshold().resolutionNs());
            SampleOrderChecks c = t.analysis().sampleOrder();
            if (c.tested()) tested++;
            violated |= !c.independent() || !c.stationary();
        }
        String order = tested == 0 ? "not tested: no sample order (keep more spikes with --spikes 100 on the builtin probe, or import cyclictest -v output)"
                : tested < tails.size() ? "tested where the sample order is known (see the notes), not tested elsewhere"
                : "tested on the sample order (see the notes)";
        out.add("independent, identically distributed activations over a stationary run: " + order + (violated ? "; VIOLATED in at least one scenario" : ""));
        out.add("the tail above u follows a generalised Pareto distribution (peaks over threshold, maximum likelihood), and block maxima a GEV;"
                + " checked by the Q-Q correlation (\"good\" from " + PeaksOverThreshold.GOOD_FIT + ")");
        out.add("threshold u: the lowest bucket edge with at most 1 - (threshold quantile) of the samples at or above it, so no bucket straddles it"
                + " and the body below it stays out; at least " + PeaksOverThreshold.MIN_EXCEEDANCES + " exceedances");
        out.add("censoring: latencies are known only to their buckets (" + (resolution >= 1000 ? "whole " + Micros.of(resolution) + " us from the source"
                : "HdrHistogram's 3 significant digits") + "); each bucket enters the likelihood as an interval, not a value");
        out.add(String.format(Locale.ROOT, "extrapolation: quantiles below 1/(%.0f x samples) are marked *; intervals from a bootstrap of the buckets",
                TailModel.EXTRAPOLATION_LIMIT));
        return out;
    }

    private static Map<String, Object> parameters(TailModel m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("xi", number(m.xi()));
        out.put("sigma_ns", number(m.sigmaNs()));
        out.put("qq_correlation", number(m.fitQuality()));
        out.put("verdict", m.verdict());
        out.put("resolution_ns", m.resolutionNs());
        out.put("upper_endpoint_ns", Double.isFinite(m.upperEndpointNs()) ? Math.round(m.upperEndpointNs()) : null);
        List<Object> qs = new ArrayList<>();
        for (TailModel.Quantile q : m.quantiles()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("probability", q.probability());
            e.put("latency_ns", ns(q.valueNs()));
            e.put("low_ns", ns(q.lowNs()));
            e.put("high_ns", ns(q.highNs()));
            e.put("bounded", q.bounded());
            e.put("extrapolated", q.extrapolated());
            qs.add(e);
        }
        out.put("pwcet", qs);
        return out;
    }

    private static Map<String, Object> blockMaxima(TailModel m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", m.method().label + " (" + m.method().distribution + ")");
        out.put("block_size", m.blockSize());
        out.put("blocks", m.fitted());
        out.put("location_ns", number(m.locationNs()));
        out.putAll(parameters(m));
        return out;
    }

    private static Map<String, Object> sampleOrder(SampleOrderChecks c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("tested", c.tested());
        if (!c.tested()) {
            out.put("reason", "no sample order");
            return out;
        }
        out.put("threads_tested", c.threadsTested());
        out.put("threads", c.threads());
        out.put("exceedances", c.exceedances());
        out.put("extremal_index", number(c.extremalIndex()));
        out.put("independence_p", number(c.independenceP()));
        out.put("stationarity_p", number(c.stationarityP()));
        out.put("independent", c.independent());
        out.put("stationary", c.stationary());
        return out;
    }

    /** A finite number, or null (JSON has no NaN or infinity). */
    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Whole nanoseconds, or null for unknown (NaN) and unbounded (infinite) values. */
    private static Long ns(double v) {
        return Double.isFinite(v) ? Math.round(v) : null;
    }
}
