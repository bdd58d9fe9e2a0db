package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.vmlat.latency.LatencyDistribution;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.stats.TailAnalysis;
import org.vmlat.store.ScenarioRecord;

/**
 * Limits held against stored scenarios: one {@link Outcome} per scenario and applicable limit.
 * Every figure is the scenario's, threads and CPUs pooled: max the largest sample, mean the mean of
 * all samples, a percentile read from the pooled histogram by {@link LatencyDistribution}'s one
 * rule; missed periods are the overruns the probe counted, as a fraction of periods (samples plus
 * overruns) when the limit is a percentage; a pWCET is the upper end of the 95 % interval of the
 * tail fit {@code vmlat tail} makes (threshold quantile 0.99, 200 resamples, seed 1), and is not
 * judged when that fit does not support a bound at the probability (the outcome then fails with
 * the reason: a gate must not pass on a figure the data cannot give).
 */
public final class LimitCheck {
    /**
     * One check on one scenario ({@code name} the limit, e.g. {@code max<=40us}). {@code observed} is in ns for latency metrics, a count or a
     * fraction for missed periods; NaN when the scenario has no such figure (no samples, no
     * histogram, a tail fit that gives no bound), which fails the limit: a gate must not pass on
     * missing data.
     */
    public record Outcome(String scenario, String name, double observed, boolean passed, String message) {
        public Outcome {
            if (scenario == null || scenario.isBlank()) throw new IllegalArgumentException("scenario: expected a name, got \"" + scenario + "\"");
            if (name == null || name.isBlank()) throw new IllegalArgumentException("name: expected a check's name, got \"" + name + "\"");
        }

        /** Whether the figure was there to hold against the limit (a failure otherwise is an error, not an exceedance). */
        public boolean judged() {
            return !Double.isNaN(observed);
        }
    }

    /** Tail fits as {@code vmlat tail} makes them by default, so a gate and the command agree. */
    static final double TAIL_THRESHOLD = 0.99;
    static final int TAIL_BOOTSTRAP = 200;
    static final long TAIL_SEED = 1;

    private LimitCheck() {}

    /** @param results a scenario's threads with their histograms (read from the store by the caller) */
    public static List<Outcome> check(List<ScenarioRecord> scenarios, List<Limit> limits,
                                      Function<ScenarioRecord, List<ThreadResult>> results) {
        List<Outcome> out = new ArrayList<>();
        for (ScenarioRecord s : scenarios) {
            out.addAll(check(HtmlReport.label(s), s.dims(), s.threads(), () -> results.apply(s), limits));
        }
        return out;
    }

    /**
     * The limits that apply to one scenario (or one measurement), named {@code scenario}; the
     * histograms are read only when a percentile or pWCET limit applies, and the tail fitted once.
     */
    public static List<Outcome> check(String scenario, Map<String, String> dims, List<ThreadSummary> threads,
                                      Supplier<List<ThreadResult>> results, List<Limit> limits) {
        List<Outcome> out = new ArrayList<>();
        List<ThreadResult> r = null;
        LatencyDistribution d = null;
        TailAnalysis tail = null;
        for (Limit l : limits) {
            if (!l.applies(dims)) continue;
            double observed;
            if (l.isPwcet()) {
                if (r == null) r = results.get();
                if (tail == null) tail = TailAnalysis.of(r, TAIL_THRESHOLD, TAIL_BOOTSTRAP, TAIL_SEED);
                TailAnalysis.Bound b = r.stream().allMatch(t -> t.histogram().getTotalCount() == 0)
                        ? new TailAnalysis.Bound(-1, "no samples to fit") : tail.boundAt(l.probability());
                out.add(b.supported() ? outcome(scenario, l, b.ns())
                        : new Outcome(scenario, l.label(), Double.NaN, false, l.figure() + ": not judged: " + b.refusal()
                        + " (vmlat tail shows the fit; use max, a percentile or a longer run)"));
                continue;
            } else if (l.metric() == null) {
                observed = missed(threads, l.fraction());
            } else if (!Double.isNaN(l.metric().percentile())) {
                if (r == null) r = results.get();
                if (d == null) d = LatencyDistribution.of(r);
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
        boolean latency = l.metric() != null || l.isPwcet();
        boolean passed = !Double.isNaN(observed) && (latency ? observed <= l.boundNs() : observed <= l.missed());
        String figure = Double.isNaN(observed) ? "no data" : latency ? us(observed) + " us"
                : l.fraction() ? String.format(Locale.ROOT, "%.4f%%", observed * 100) : Long.toString((long) observed);
        String name = l.figure();
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
