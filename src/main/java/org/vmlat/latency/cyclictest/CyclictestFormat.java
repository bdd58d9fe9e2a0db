package org.vmlat.latency.cyclictest;

/**
 * The outputs of cyclictest that vmlat reads.
 *
 * <ul>
 *   <li>{@link #SUMMARY}: one {@code T:} line per thread (default and {@code -q} output; the live
 *       output repeats them with cursor-movement escapes, the last one per thread counts).</li>
 *   <li>{@link #HISTOGRAM}: {@code -h US} output. rt-tests up to 2.6 print every bucket row
 *       {@code %06d} followed by one tab-separated {@code %06lu} count per thread and a
 *       {@code # Total:} line; from 2.7 rows whose counts are all zero are omitted and there is no
 *       Total. Both are followed by {@code # Min/Avg/Max Latencies:}, {@code # Histogram
 *       Overflows:} and per-thread overflow cycle lists ({@code # Thread N: c c ... # NNNNN
 *       others}). With {@code -H} each row carries an extra sum column.</li>
 *   <li>{@link #VERBOSE}: {@code -v} output, one {@code thread:cycle:value} line per sample.</li>
 *   <li>{@link #JSON}: {@code --json=FILE}. Real quirks: keys {@code "cmdline:"} and
 *       {@code "rt_test_version:"} end with a colon; the version is printed as {@code "2.40"} for
 *       2.4; {@code histogram} is empty without {@code -h}; no overflow count (it is cycles minus
 *       the histogram's sum); no interval (read from the command line).</li>
 * </ul>
 * Values are microseconds (truncated) unless cyclictest ran with {@code -N}; the JSON says so in
 * {@code resolution_in_ns}, the text formats do not: only the width of a {@code T:} line's
 * Act/Avg fields tells (see {@link TextUnit}).
 */
public enum CyclictestFormat {
    SUMMARY, HISTOGRAM, VERBOSE, JSON;

    /** Guesses the format from the first non-blank characters of a file. */
    public static CyclictestFormat sniff(String head) {
        String t = head.stripLeading();
        if (t.startsWith("{")) return JSON;
        for (String line : head.split("\n", 200)) {
            String l = line.strip();
            if (l.startsWith("# Histogram")) return HISTOGRAM;
            if (l.matches("\\d+:\\s*\\d+:\\s*-?\\d+")) return VERBOSE;
        }
        return SUMMARY;
    }
}
