package org.vmlat.probe.cyclictest;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.cyclictest.CyclictestJsonReader;
import org.vmlat.latency.cyclictest.CyclictestTextReader;

/**
 * What a finished cyclictest run reported, read from its text output ({@code T:} lines and the
 * {@code -h} histogram block, in microseconds) and the file it wrote with {@code --json}, wherever
 * it ran: the figures per thread come from the text, cyclictest's version and the system it saw
 * from the JSON.
 *
 * @param breakThread  the thread whose latency crossed {@code -b}'s threshold, -1 when unknown
 * @param breakValueNs the latency that crossed it, -1 when no threshold was crossed
 * @param version      cyclictest's version from the JSON, null when there was none
 * @param sysinfo      the JSON's "sysinfo" (sysname, release, realtime, ...), empty when none
 */
public record CyclictestOutput(List<ThreadResult> threads, int breakThread, long breakValueNs, String version,
                               Map<String, String> sysinfo) {
    /** cyclictest's unit without {@code -N}, which cannot be combined with {@code -h}. */
    public static final long UNIT_NS = 1000;

    public CyclictestOutput {
        threads = List.copyOf(threads);
        sysinfo = Collections.unmodifiableMap(new LinkedHashMap<>(sysinfo)); // in cyclictest's order
        if (breakValueNs < -1) throw new IllegalArgumentException("breakValueNs must be >= 0 or -1 (none), got " + breakValueNs);
    }

    /**
     * @param source name for error messages
     * @param text   cyclictest's text output
     * @param json   the content of its {@code --json} file; blank when there is none
     */
    public static CyclictestOutput read(String source, String text, String json) {
        CyclictestTextReader.Parsed p = new CyclictestTextReader(source, UNIT_NS, 0).read(new BufferedReader(new StringReader(text)));
        String version = null;
        Map<String, String> sysinfo = new LinkedHashMap<>();
        if (!json.isBlank()) {
            CyclictestJsonReader.Parsed j = new CyclictestJsonReader(source + " --json").read(json);
            version = j.version();
            sysinfo.putAll(j.sysinfo());
        }
        long breakValueNs = p.breakValue() >= 0 ? p.breakValue() * UNIT_NS : -1;
        return new CyclictestOutput(p.threads(), p.breakThread(), breakValueNs, version, sysinfo);
    }
}
