package org.vmlat.latency;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/** The one histogram shape vmlat uses, so results from every source can be added and compared. */
public final class LatencyHistograms {
    /** 1 hour: anything longer is not a wake-up latency but a stopped machine. */
    public static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    /** 3 significant digits: 0.1 % value precision over the whole range. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private LatencyHistograms() {}

    /** A fixed-range histogram (no auto-resize: recording must never allocate). */
    public static Histogram create() {
        return new Histogram(1, HIGHEST_TRACKABLE_NS, SIGNIFICANT_DIGITS);
    }

    /** HdrHistogram's compressed encoding (readable by HdrHistogram's own decoders). */
    public static byte[] encode(AbstractHistogram h) {
        ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(buf);
        return Arrays.copyOf(buf.array(), n);
    }

    /**
     * Decodes into a PackedHistogram, whose memory follows the occupied buckets: a full-range
     * Histogram takes 260 KiB whatever it holds, too much for reports over thousands of scenarios.
     *
     * @throws IllegalArgumentException when the bytes are not an encoded histogram
     */
    public static AbstractHistogram decode(byte[] bytes) {
        try {
            return PackedHistogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0);
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("not an encoded HdrHistogram: " + e.getMessage(), e);
        }
    }
}
