package org.vmlat.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.vmlat.latency.Durations;
import org.vmlat.report.WorstCaseTable.Metric;

/**
 * A limit a run must keep: a latency metric at most {@code boundNs}, or missed periods at most a
 * count or a fraction; {@code where} keeps only scenarios whose dimensions have those values
 * (empty: every scenario). Written {@code max=40us}, {@code p99.9=20us}, {@code missed=0},
 * {@code missed=0.1%}.
 *
 * @param metric   the latency figure, null for missed periods
 * @param boundNs  the largest allowed latency in ns (metric set), otherwise -1
 * @param missed   the largest allowed missed periods: a count (fraction false) or a fraction 0..1
 */
public record Limit(Metric metric, long boundNs, double missed, boolean fraction, Map<String, String> where) {
    public static final String MISSED = "missed";

    public Limit {
        if (metric != null && boundNs < 0) throw new IllegalArgumentException("boundNs: expected >= 0, got " + boundNs);
        if (metric == null && (missed < 0 || (fraction && missed > 1))) {
            throw new IllegalArgumentException("missed: expected a count >= 0 or a fraction 0..100%, got " + missed);
        }
        where = Map.copyOf(where);
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
        Metric m;
        try {
            m = Metric.parse(metric);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown metric \"" + metric + "\" (" + String.join(", ",
                    Arrays.stream(Metric.values()).map(x -> x.label).toList()) + ", " + MISSED + ")");
        }
        return new Limit(m, Durations.parseNs(value, Durations.Unit.US), -1, false, where);
    }

    /** How a user writes it back: {@code max=40us}, {@code missed=0.1%} [where load=none]. */
    public String label() {
        String v = metric != null ? metric.label + "<=" + Durations.format(boundNs)
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
