package org.vmlat.report;

import java.util.Locale;

/**
 * The unit latencies are printed in: microseconds with one decimal, as cyclictest users read
 * them, or whole nanoseconds (cyclictest's {@code -N}). The figures themselves are always ns.
 */
public enum LatencyUnit {
    US("us"), NS("ns");

    public final String label;

    LatencyUnit(String label) {
        this.label = label;
    }

    /** "-" for unknown (negative) values. */
    public String of(long ns) {
        return this == US ? Micros.of(ns) : ns < 0 ? "-" : Long.toString(ns);
    }

    public String of(double ns) {
        return this == US ? Micros.of(ns) : Double.isNaN(ns) ? "-" : String.format(Locale.ROOT, "%.0f", ns);
    }
}
