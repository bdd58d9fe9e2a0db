package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;

/**
 * Limits held against stored scenarios: one {@link Outcome} per scenario and applicable limit.
 * Every figure is the scenario's, threads and CPUs pooled: max the largest sample, mean the mean of
 * all samples, a percentile read from the pooled histogram by {@link LatencyDistribution}'s one
 * rule; missed periods are the overruns the probe counted, as a fraction of periods (samples plus
 * overruns) when the limit is a percentage.
 */
public final class LimitCheck {
    /**
     * One limit on one scenario. {@code observed} is in ns for latency metrics, a count or a
     * fraction for missed periods; NaN when the scenario has no such figure (no samples, no
     * histogram), which fails the limit: a gate must not pass on missing data.
     */
    public record Outcome(String scenario, Limit limit, double observed, boolean passed, String message) {}

    private LimitCheck() {}

    /** @param distribution a scenario's pooled histogram (read from the store by the caller) */
    public static List<Outcome> check(List<ScenarioRecord> scenarios, List<Limit> limits,
                                      Function<ScenarioRecord, LatencyDistribution> distribution) {
        List<Outcome> out = new ArrayList<>();
        for (ScenarioRecord s : scenarios) {
            LatencyDistribution d = null;
            for (Limit l : limits) {
                if (!l.applies(s.dims())) continue;
                double observed;
                if (l.metric() == null) {
                    observed = missed(s, l.fraction());
                } else if (!Double.isNaN(l.metric().percentile())) {
                    if (d == null) d = distribution.apply(s);
                    long v = d.quantileNs(l.metric().percentile());
                    observed = v < 0 ? Double.NaN : v;
                } else {
                    observed = latency(s, l);
                }
                out.add(outcome(HtmlReport.label(s), l, observed));
            }
        }
        return out;
    }

    static Outcome outcome(String scenario, Limit l, double observed) {
        boolean passed = !Double.isNaN(observed) && (l.metric() != null ? observed <= l.boundNs() : observed <= l.missed());
        String figure = Double.isNaN(observed) ? "no data" : l.metric() != null ? us(observed) + " us"
                : l.fraction() ? String.format(Locale.ROOT, "%.4f%%", observed * 100) : Long.toString((long) observed);
        String name = l.metric() != null ? l.metric().label : Limit.MISSED;
        String message = passed ? name + " " + figure + " within " + l.label()
                : name + " " + figure + " exceeds " + l.label();
        if (Double.isNaN(observed)) message = name + ": no data to check " + l.label();
        return new Outcome(scenario, l, observed, passed, message);
    }

    private static double latency(ScenarioRecord s, Limit l) {
        long count = 0, sum = 0, max = -1;
        for (ThreadSummary t : s.threads()) {
            if (t.count() == 0) continue;
            count += t.count();
            sum += t.sumNs();
            max = Math.max(max, t.maxNs());
        }
        if (count == 0) return Double.NaN;
        return switch (l.metric()) {
            case MAX -> max;
            case MEAN -> (double) sum / count;
            default -> throw new IllegalStateException("percentile metrics are read from the histogram");
        };
    }

    private static double missed(ScenarioRecord s, boolean fraction) {
        long over = 0, periods = 0;
        for (ThreadSummary t : s.threads()) {
            if (t.overruns() < 0) return Double.NaN;
            over += t.overruns();
            periods += t.count() + t.overruns();
        }
        if (!fraction) return over;
        return periods == 0 ? Double.NaN : (double) over / periods;
    }

    private static String us(double ns) {
        return String.format(Locale.ROOT, "%.1f", ns / 1e3);
    }
}
