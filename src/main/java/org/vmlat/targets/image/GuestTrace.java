package org.vmlat.targets.image;

import java.util.Base64;
import java.util.Optional;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.KernelTrace;

/**
 * The guest kernel's trace in what a guest image's /init reported, when it was asked to trace ({@code vmlat.trace=KB}
 * on the guest's command line): a facts line, then the text of tracefs's {@code trace} gzip-compressed and in base64
 * lines between markers:
 *
 * <pre>
 * VMLAT-TRACE-FACTS buffer_kb=16384 clock=mono overrun=0
 * VMLAT-BEGIN-TRACE
 * H4sIAAAAAAAAA+y9a5MbR5Yl+L1/RRo/7...
 * VMLAT-END-TRACE
 * </pre>
 */
public final class GuestTrace {
    /** The guest's ring per CPU, in KB, when tracing: room for about 10 s of a 1 ms probe under emulation. */
    public static final int BUFFER_KB = 16384;
    /**
     * What a guest kernel's command line says to trace: the ring's size, and raw pointers in the trace (the analysis
     * tells timers apart by their address, and an emulated guest's pointer hashing is not seeded yet when it runs:
     * every address would print as {@code (____ptrval____)}).
     */
    public static final String KERNEL_ARGS = "vmlat.trace=" + BUFFER_KB + " no_hash_pointers";

    private GuestTrace() {}

    /**
     * A console that carried the trace (a Xen guest's: its console is its only channel) with the trace's base64 lines
     * replaced by one line saying how many there were: what is kept of a console is its end, where a failure shows,
     * and a trace would fill it with base64.
     */
    public static String withoutTrace(String console) {
        int begin = console.indexOf("VMLAT-BEGIN-TRACE");
        if (begin < 0) return console;
        int end = console.indexOf("VMLAT-END-TRACE", begin);
        String block = console.substring(begin, end < 0 ? console.length() : end);
        long lines = block.chars().filter(c -> c == '\n').count() - 1;
        return console.substring(0, begin) + "VMLAT-BEGIN-TRACE\n(" + Math.max(0, lines) + " lines of base64 left out)\n"
                + (end < 0 ? "" : console.substring(end));
    }

    /**
     * @return the trace, or empty when the guest reported none (it was not asked, or tracefs was missing: then its
     *         console says so in a {@code VMLAT-NOTRACE} line)
     * @throws ProbeException when the block is there but malformed
     */
    public static Optional<KernelTrace> parse(String where, String text) {
        String clean = text.replace("\r", "");
        int begin = clean.indexOf("VMLAT-BEGIN-TRACE\n");
        if (begin < 0) return Optional.empty();
        int end = clean.indexOf("VMLAT-END-TRACE", begin);
        if (end < 0) throw new ProbeException(where + ": the guest's trace is incomplete (VMLAT-END-TRACE missing)");
        long overruns = 0;
        int bufferKb = 0;
        int facts = clean.lastIndexOf("VMLAT-TRACE-FACTS ", begin);
        if (facts >= 0) {
            String line = clean.substring(facts, clean.indexOf('\n', facts));
            for (String kv : line.substring("VMLAT-TRACE-FACTS ".length()).trim().split(" ")) {
                int eq = kv.indexOf('=');
                if (eq < 0) continue;
                String key = kv.substring(0, eq), value = kv.substring(eq + 1);
                try {
                    if (key.equals("overrun")) overruns = Long.parseLong(value);
                    if (key.equals("buffer_kb")) bufferKb = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new ProbeException(where + ": the guest's trace facts: " + key + ": expected a number, got \"" + value + "\"");
                }
            }
        }
        byte[] gzip;
        try {
            gzip = Base64.getMimeDecoder().decode(clean.substring(begin + "VMLAT-BEGIN-TRACE\n".length(), end));
        } catch (IllegalArgumentException e) {
            throw new ProbeException(where + ": the guest's trace is not base64: " + e.getMessage());
        }
        return Optional.of(new KernelTrace(where, gzip, overruns, bufferKb));
    }
}
