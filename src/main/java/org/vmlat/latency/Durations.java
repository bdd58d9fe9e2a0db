package org.vmlat.latency;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations with units, as users write them: {@code 50us}, {@code 1ms}, {@code 10s}, {@code 5m},
 * {@code 2h}, {@code 1d}, {@code 1.5ms}; {@code µs} is accepted for {@code us}. A bare number takes
 * a default unit chosen to match cyclictest's option of the same meaning (us for {@code -i} and
 * {@code -b}, s for {@code -D}).
 */
public final class Durations {
    private static final Pattern SYNTAX = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-zµ]*)");

    private Durations() {}

    public enum Unit {
        NS(1), US(1_000), MS(1_000_000), S(1_000_000_000L), M(60_000_000_000L), H(3_600_000_000_000L),
        D(86_400_000_000_000L);

        public final long ns;

        Unit(long ns) {
            this.ns = ns;
        }
    }

    /** @throws IllegalArgumentException with a message naming the problem and the accepted units */
    public static long parseNs(String text, Unit defaultUnit) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SYNTAX.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a duration (e.g. 50us, 1ms, 10s, 5m)");
        }
        Unit unit = switch (m.group(2)) {
            case "" -> defaultUnit;
            case "ns" -> Unit.NS;
            case "us", "µs" -> Unit.US;
            case "ms" -> Unit.MS;
            case "s" -> Unit.S;
            case "m", "min" -> Unit.M;
            case "h" -> Unit.H;
            case "d" -> Unit.D;
            default -> throw new IllegalArgumentException("unknown unit \"" + m.group(2) + "\" in \"" + text
                    + "\" (use ns, us, ms, s, m, h or d)");
        };
        java.math.BigDecimal v = new java.math.BigDecimal(m.group(1)).multiply(java.math.BigDecimal.valueOf(unit.ns));
        if (v.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("\"" + text + "\" is too long");
        }
        if (v.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a whole number of nanoseconds");
        }
        return v.longValueExact();
    }

    /** Shortest exact rendering: 1000000 -> "1ms", 1500 -> "1500ns", 90000000000 -> "90s". */
    public static String format(long ns) {
        if (ns == 0) return "0";
        Unit[] units = {Unit.D, Unit.H, Unit.M, Unit.S, Unit.MS, Unit.US, Unit.NS};
        for (Unit u : units) {
            if (ns % u.ns == 0) return (ns / u.ns) + u.name().toLowerCase(Locale.ROOT);
        }
        return ns + "ns";
    }
}
