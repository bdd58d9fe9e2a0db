package org.vmlat.explain.trace;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The most recent trace lines, as bytes in one fixed array with their times beside them: appending copies bytes and
 * never allocates, so the reader beside the probe creates no garbage for the JVM to collect (a collection would
 * pause the probe's thread on its way back from the kernel). The oldest lines go when space runs out or when they
 * are older than what is still needed.
 */
final class LineRing {
    private final byte[] data;
    private final long[] start;
    private final int[] length;
    private final long[] ts;
    private long headLine;
    private long tailLine;
    private long writeOffset;

    LineRing(int bytes, int lines) {
        data = new byte[bytes];
        start = new long[lines];
        length = new int[lines];
        ts = new long[lines];
    }

    /** Appends a line, dropping the oldest ones it needs room from. Lines longer than the ring are not kept. */
    void append(byte[] src, int off, int len, long tsNs) {
        if (len > data.length) return;
        while (tailLine - headLine == start.length || (tailLine > headLine && writeOffset + len - start[slot(headLine)] > data.length)) {
            headLine++;
        }
        int slot = slot(tailLine);
        start[slot] = writeOffset;
        length[slot] = len;
        ts[slot] = tsNs;
        int at = (int) (writeOffset % data.length);
        int first = Math.min(len, data.length - at);
        System.arraycopy(src, off, data, at, first);
        if (first < len) System.arraycopy(src, off + first, data, 0, len - first);
        writeOffset += len;
        tailLine++;
    }

    /** Drops lines older than {@code tsNs}. */
    void dropBefore(long tsNs) {
        while (tailLine > headLine && ts[slot(headLine)] < tsNs) headLine++;
    }

    int size() {
        return (int) (tailLine - headLine);
    }

    /** The lines with {@code fromNs <= time <= untilNs}, oldest first, as text. */
    List<String> between(long fromNs, long untilNs) {
        List<String> out = new ArrayList<>();
        for (long l = headLine; l < tailLine; l++) {
            int s = slot(l);
            if (ts[s] < fromNs || ts[s] > untilNs) continue;
            byte[] b = new byte[length[s]];
            int at = (int) (start[s] % data.length);
            int first = Math.min(b.length, data.length - at);
            System.arraycopy(data, at, b, 0, first);
            if (first < b.length) System.arraycopy(data, 0, b, first, b.length - first);
            out.add(new String(b, StandardCharsets.UTF_8));
        }
        return out;
    }

    private int slot(long line) {
        return (int) (line % start.length);
    }
}
