package org.vmlat.explain.trace;

import java.nio.charset.StandardCharsets;

/**
 * Reads what the recorder needs from a tracefs text line without making a String of it: the timestamp, and
 * whether the line is one of the few the recorder must look at closely.
 */
final class TraceBytes {
    private static final byte[] LOST = "[LOST ".getBytes(StandardCharsets.US_ASCII);

    private TraceBytes() {}

    /**
     * The line's timestamp in ns ({@code SECONDS.MICROSECONDS:} after {@code [CPU]} and the flags), or -1 when the
     * line is not an event.
     */
    static long timestampNs(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        // the CPU field: '[' digits ']' followed by a space
        while (true) {
            while (i < end && b[i] != '[') i++;
            if (i >= end) return -1;
            int j = i + 1;
            while (j < end && b[j] >= '0' && b[j] <= '9') j++;
            if (j > i + 1 && j + 1 < end && b[j] == ']' && b[j + 1] == ' ') {
                i = j + 1;
                break;
            }
            i = j;
        }
        for (int token = 0; token < 2; token++) {
            while (i < end && b[i] == ' ') i++;
            long secs = 0, frac = 0;
            int fracDigits = 0;
            int k = i;
            boolean dot = false;
            while (k < end && b[k] != ' ' && b[k] != ':') {
                byte c = b[k];
                if (c == '.') {
                    if (dot) break;
                    dot = true;
                } else if (c >= '0' && c <= '9') {
                    if (dot) {
                        frac = frac * 10 + (c - '0');
                        fracDigits++;
                    } else {
                        secs = secs * 10 + (c - '0');
                    }
                } else {
                    break;
                }
                k++;
            }
            if (dot && fracDigits > 0 && k < end && b[k] == ':') {
                while (fracDigits < 9) {
                    frac *= 10;
                    fracDigits++;
                }
                return secs * 1_000_000_000L + frac;
            }
            // the flags (d.h1.): skip to the next token
            while (i < end && b[i] != ' ') i++;
        }
        return -1;
    }

    /** The number in the line's {@code [CPU]} field, or -1 when the line has none. */
    static int cpu(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (b[i] != '[') continue;
            int j = i + 1, n = 0;
            while (j < end && b[j] >= '0' && b[j] <= '9') n = n * 10 + (b[j++] - '0');
            if (j > i + 1 && j + 1 < end && b[j] == ']' && b[j + 1] == ' ') return n;
        }
        return -1;
    }

    /**
     * How many events tracefs says it lost before this line ({@code CPU:1 [LOST 123 EVENTS]}, printed by
     * {@code trace_pipe} when the ring buffer overwrote events the reader had not read yet), 0 for any other line.
     */
    static long lost(byte[] b, int off, int len) {
        if (!contains(b, off, len, LOST)) return 0;
        int end = off + len;
        for (int i = off; i <= end - LOST.length; i++) {
            if (!contains(b, i, LOST.length, LOST)) continue;
            long n = 0;
            for (int j = i + LOST.length; j < end && b[j] >= '0' && b[j] <= '9'; j++) n = n * 10 + (b[j] - '0');
            return Math.max(1, n);
        }
        return 0;
    }

    /** Whether {@code needle} (ASCII) occurs in the line. */
    static boolean contains(byte[] b, int off, int len, byte[] needle) {
        outer:
        for (int i = off; i <= off + len - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) if (b[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }
}
