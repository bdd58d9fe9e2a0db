package org.vmlat.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.vmlat.latency.Durations;
import org.vmlat.report.WorstCaseTable.Metric;
import org.vmlat.stats.PeaksOverThreshold;

/**
 * A limit a run must keep: a latency metric at most {@code boundNs}, the pWCET at a probability at
 * most {@code boundNs}, or missed periods at most a count or a fraction; {@code where} keeps only
 * scenarios whose dimensions have those values (empty: every scenario). Written {@code max=40us},
 * {@code p99.9=20us}, {@code pwcet1e-9=200us}, {@code missed=0}, {@code missed=0.1%}.
 *
 * @param metric      the latency figure, null for pWCET and missed periods
 * @param boundNs     the largest allowed latency in ns (metric or pWCET), otherwise -1
 * @param missed      the largest allowed missed periods: a count (fraction false) or a fraction 0..1
 * @param probability the pWCET's exceedance probability per activation, NaN for other limits
 */
public record Limit(Metric metric, long boundNs, double missed, boolean fraction, Map<String, String> where, double probability) {
    public static final String MISSED = "missed";
    public static final String PWCET = "pwcet";

    public Limit {
        if ((metric != null || pwcet(probability)) && boundNs < 0) throw new IllegalArgumentException("boundNs: expected >= 0, got " + boundNs);
        if (metric != null && pwcet(probability)) throw new IllegalArgumentException("a limit is on a metric or on a pWCET, not both");
        if (metric == null && !pwcet(probability) && (missed < 0 || (fraction && missed > 1))) {
            throw new IllegalArgumentException("missed: expected a count >= 0 or a fraction 0..100%, got " + missed);
        }
        where = Map.copyOf(where);
    }

    /** A limit on a metric or on missed periods. */
    public Limit(Metric metric, long boundNs, double missed, boolean fraction, Map<String, String> where) {
        this(metric, boundNs, missed, fraction, where, Double.NaN);
    }

    /** Whether this limits the pWCET (probability set). */
    public boolean isPwcet() {
        return pwcet(probability);
    }

    private static boolean pwcet(double probability) {
        return !Double.isNaN(probability);
    }

    /** {@code METRIC=VALUE}; IllegalArgumentException naming the known metrics or the bad value. */
    public static Limit parse(String text, Map<String, String> where) {
        int eq = text.indexOf('=');
        if (eq < 0) throw new IllegalArgumentException("\"" + text + "\": expected METRIC=VALUE, e.g. max=40us");
        return of(text.substring(0, eq).strip(), text.substring(eq + 1).strip(), where);
    }

    public static Limit of(String metric, String value, Map<String, String> where) {
        if (metric.equals(MISSED)) {
            if (value.endsWith("%")) {
                double pct = Double.parseDouble(value.substring(0, value.length() - 1).strip());
                return new Limit(null, -1, pct / 100, true, where);
            }
            try {
                return new Limit(null, -1, Long.parseLong(value), false, where);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("missed: expected a count (0) or a percentage (0.1%), got \"" + value + "\"");
            }
        }
        if (metric.startsWith(PWCET)) {
            return new Limit(null, Durations.parseNs(value, Durations.Unit.US), -1, false, where, probability(metric));
        }
        Metric m;
        try {
            m = Metric.parse(metric);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown metric \"" + metric + "\" (" + String.join(", ",
                    Arrays.stream(Metric.values()).map(x -> x.label).toList()) + ", " + pwcetNames() + ", " + MISSED + ")");
        }
        return new Limit(m, Durations.parseNs(value, Durations.Unit.US), -1, false, where);
    }

    /** {@code pwcet1e-9}: a probability the tail fits compute, or an IllegalArgumentException naming them. */
    private static double probability(String metric) {
        String p = metric.substring(PWCET.length());
        for (double known : PeaksOverThreshold.PROBABILITIES) {
            try {
                if (Double.parseDouble(p) == known) return known;
            } catch (NumberFormatException e) {
                break;
            }
        }
        throw new IllegalArgumentException("unknown metric \"" + metric + "\": the pWCET is computed at " + pwcetNames());
    }

    private static String pwcetNames() {
        return String.join(", ", Arrays.stream(PeaksOverThreshold.PROBABILITIES).mapToObj(Limit::pwcetName).toList());
    }

    /** {@code pwcet1e-9} for 1e-9. */
    static String pwcetName(double probability) {
        return PWCET + String.format(Locale.ROOT, "%.0e", probability).replace("e-0", "e-");
    }

    /** The figure's name as users write it: max, p99.9, pwcet1e-9, missed. */
    public String figure() {
        return metric != null ? metric.label : isPwcet() ? pwcetName(probability) : MISSED;
    }

    /** How a user writes it back: {@code max=40us}, {@code missed=0.1%} [where load=none]. */
    public String label() {
        String v = metric != null || isPwcet() ? figure() + "<=" + Durations.format(boundNs)
                : MISSED + "<=" + (fraction ? String.format(Locale.ROOT, "%s%%", trim(missed * 100)) : Long.toString((long) missed));
        if (where.isEmpty()) return v;
        StringBuilder sb = new StringBuilder(v).append(" where");
        new TreeMap<>(where).forEach((k, x) -> sb.append(' ').append(k).append('=').append(x));
        return sb.toString();
    }

    /** Whether a scenario with these dimensions is subject to this limit. */
    public boolean applies(Map<String, String> dims) {
        for (Map.Entry<String, String> e : where.entrySet()) if (!e.getValue().equals(dims.get(e.getKey()))) return false;
        return true;
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
