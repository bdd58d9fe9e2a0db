package org.vmlat.report;

import java.util.Locale;

/** Nanoseconds shown as microseconds, the unit cyclictest users read latencies in. */
public final class Micros {
    private Micros() {}

    /** One decimal, locale-independent; "-" for unknown (negative) values. */
    public static String of(long ns) {
        return ns < 0 ? "-" : String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }

    public static String of(double ns) {
        return Double.isNaN(ns) ? "-" : String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }
}
