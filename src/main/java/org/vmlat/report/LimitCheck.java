package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
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
     * One check on one scenario ({@code name} the limit, e.g. {@code max<=40us}). {@code observed} is in ns for latency metrics, a count or a
     * fraction for missed periods; NaN when the scenario has no such figure (no samples, no
     * histogram), which fails the limit: a gate must not pass on missing data.
     */
    public record Outcome(String scenario, String name, double observed, boolean passed, String message) {
        public Outcome {
            if (scenario == null || scenario.isBlank()) throw new IllegalArgumentException("scenario: expected a name, got \"" + scenario + "\"");
            if (name == null || name.isBlank()) throw new IllegalArgumentException("name: expected a check's name, got \"" + name + "\"");
        }
    }

    private LimitCheck() {}

    /** @param distribution a scenario's pooled histogram (read from the store by the caller) */
    public static List<Outcome> check(List<ScenarioRecord> scenarios, List<Limit> limits,
                                      Function<ScenarioRecord, LatencyDistribution> distribution) {
        List<Outcome> out = new ArrayList<>();
        for (ScenarioRecord s : scenarios) {
            out.addAll(check(HtmlReport.label(s), s.dims(), s.threads(), () -> distribution.apply(s), limits));
        }
        return out;
    }

    /**
     * The limits that apply to one scenario (or one measurement), named {@code scenario}; the
     * histogram is read only when a percentile limit applies.
     */
    public static List<Outcome> check(String scenario, Map<String, String> dims, List<ThreadSummary> threads,
                                      Supplier<LatencyDistribution> distribution, List<Limit> limits) {
        List<Outcome> out = new ArrayList<>();
        LatencyDistribution d = null;
        for (Limit l : limits) {
            if (!l.applies(dims)) continue;
            double observed;
            if (l.metric() == null) {
                observed = missed(threads, l.fraction());
            } else if (!Double.isNaN(l.metric().percentile())) {
                if (d == null) d = distribution.get();
                long v = d.quantileNs(l.metric().percentile());
                observed = v < 0 ? Double.NaN : v;
            } else {
                observed = latency(threads, l);
            }
            out.add(outcome(scenario, l, observed));
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
        return new Outcome(scenario, l.label(), observed, passed, message);
    }

    private static double latency(List<ThreadSummary> threads, Limit l) {
        long count = 0, sum = 0, max = -1;
        for (ThreadSummary t : threads) {
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

    private static double missed(List<ThreadSummary> threads, boolean fraction) {
        long over = 0, periods = 0;
        for (ThreadSummary t : threads) {
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
