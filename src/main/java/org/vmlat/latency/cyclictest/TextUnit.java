package org.vmlat.latency.cyclictest;

/**
 * The unit of cyclictest's text output, which the text does not state: microseconds by default,
 * nanoseconds with {@code -N}. {@link #DETECT} reads it from the {@code T:} lines' field widths
 * (see {@link CyclictestTextReader#unitOfSummaryLine}); without {@code T:} lines it assumes
 * microseconds and refuses a file whose smallest latency would then be {@link #IMPLAUSIBLE_MIN_US}
 * or more, which is what ns output read as us looks like.
 */
public enum TextUnit {
    MICROSECONDS(1000), NANOSECONDS(1), DETECT(0);

    /** 1 ms: a smallest wake-up latency this large is ns output far more often than a real one. */
    public static final long IMPLAUSIBLE_MIN_US = 1000;

    /** The unit in ns; 0 for {@link #DETECT}. */
    public final long ns;

    TextUnit(long ns) {
        this.ns = ns;
    }
}
