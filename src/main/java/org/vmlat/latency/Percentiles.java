package org.vmlat.latency;

import java.util.List;

/** The percentiles vmlat reports everywhere, in this order. */
public final class Percentiles {
    public static final List<Double> STANDARD = List.of(50.0, 90.0, 99.0, 99.9, 99.99);

    private Percentiles() {}

    /** "p99.9" style label, stable across locales. */
    public static String label(double p) {
        String s = (p == Math.rint(p)) ? Long.toString((long) p) : Double.toString(p);
        return "p" + s;
    }
}
