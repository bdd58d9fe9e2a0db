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
import org.vmlat.stats.TailModel;

/** Tail fits as a table in us (pWCET with bootstrap intervals) or as JSON in ns. */
public final class TailReport {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TailReport() {}

    public static String text(long run, double threshold, int bootstrap, List<TailFits.Fit> fits) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "# vmlat tail run %d: GPD over the %s quantile, %d bootstrap resamples; latencies in us%n", run, Double.toString(threshold), bootstrap));
        List<List<String>> rows = new ArrayList<>();
        for (TailFits.Fit f : fits) {
            TailModel t = f.model();
            List<String> row = new ArrayList<>(List.of(Integer.toString(f.scenario()), String.join(" ", f.dims().values()),
                    Long.toString(t.samples()), Long.toString(t.exceedances()), Micros.of(t.thresholdNs()),
                    Double.isNaN(t.xi()) ? "-" : String.format(Locale.ROOT, "%.3f", t.xi()), t.verdict()));
            for (int i = 0; i < PeaksOverThreshold.PROBABILITIES.length; i++) {
                if (i < t.quantiles().size()) {
                    TailModel.Quantile q = t.quantiles().get(i);
                    row.add(Micros.of(Math.round(q.valueNs())) + (Double.isNaN(q.lowNs()) ? ""
                            : " [" + Micros.of(Math.round(q.lowNs())) + ", " + Micros.of(Math.round(q.highNs())) + "]"));
                } else {
                    row.add("-");
                }
            }
            rows.add(row);
        }
        out.append(Table.render(List.of("#", "scenario", "samples", "over u", "u", "xi", "fit", "1e-6", "1e-9", "1e-12"), rows));
        out.append("Each pWCET is the latency exceeded with that probability per activation, with a 95% bootstrap interval.\n");
        if (fits.stream().anyMatch(f -> !f.model().verdict().equals("good"))) {
            out.append("A \"poor\" fit means the tail above u is not GPD-like: try --threshold 0.999 or a longer run; \"too few data\": measure longer.\n");
        }
        return out.toString();
    }

    public static String json(List<TailFits.Fit> fits) {
        try {
            List<Object> list = new ArrayList<>();
            for (TailFits.Fit f : fits) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("scenario", f.scenario());
                m.put("dims", f.dims());
                TailModel t = f.model();
                m.put("samples", t.samples());
                m.put("exceedances", t.exceedances());
                m.put("threshold_ns", t.thresholdNs());
                m.put("xi", Double.isNaN(t.xi()) ? null : t.xi());
                m.put("sigma_ns", Double.isNaN(t.sigmaNs()) ? null : t.sigmaNs());
                m.put("qq_correlation", Double.isNaN(t.fitQuality()) ? null : t.fitQuality());
                m.put("verdict", t.verdict());
                List<Object> qs = new ArrayList<>();
                for (TailModel.Quantile q : t.quantiles()) {
                    qs.add(Map.of("probability", q.probability(), "latency_ns", Math.round(q.valueNs()),
                            "low_ns", Math.round(q.lowNs()), "high_ns", Math.round(q.highNs())));
                }
                m.put("pwcet", qs);
                list.add(m);
            }
            return MAPPER.writeValueAsString(list) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
