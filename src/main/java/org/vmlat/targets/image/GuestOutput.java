package org.vmlat.targets.image;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.latency.ThreadResult;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.cyclictest.CyclictestOutput;

/**
 * What a guest image's /init reports, whichever channel brought it (a virtio-serial port, a Xen
 * console): the guest's facts line, cyclictest's histogram output and its JSON between markers.
 * Console channels may carry \r\n and kernel lines around the block; only the marked parts count.
 *
 * @param facts             the guest's own facts, keys prefixed "guest." (release, realtime,
 *                          clocksource, cpus, hypervisor, guest_type, xen_version, cyclictest.*)
 * @param cyclictestVersion from cyclictest's JSON, or null
 * @param exitCode          cyclictest's exit status in the guest
 */
public record GuestOutput(List<ThreadResult> threads, Map<String, String> facts, String cyclictestVersion, int exitCode) {
    /** /init's marker once cyclictest starts (the boot is over). */
    public static final String STARTED = "VMLAT-START";
    /** /init's marker after everything else: the result is complete. */
    public static final String DONE = "VMLAT-DONE";

    /**
     * @param intervalNs the period cyclictest ran with: cyclictest does not count missed periods,
     *                   and in a guest they are the main effect of a starved vCPU, so they are
     *                   estimated as the periods of the duration minus the activations seen
     */
    public static GuestOutput parse(String source, String text, long intervalNs, long durationNs) {
        String clean = text.replace("\r", "");
        String out = between(clean, "VMLAT-BEGIN-OUT\n", "VMLAT-END-OUT");
        String json = between(clean, "VMLAT-BEGIN-JSON\n", "VMLAT-END-JSON");
        Map<String, String> facts = new LinkedHashMap<>();
        int rc = -1;
        for (String line : clean.split("\n")) {
            if (line.startsWith("VMLAT-FACTS ")) {
                for (String kv : line.substring(12).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) facts.put("guest." + kv.substring(0, eq), kv.substring(eq + 1));
                }
            } else if (line.startsWith("VMLAT-RC ")) {
                try {
                    rc = Integer.parseInt(line.substring(9).trim());
                } catch (NumberFormatException e) {
                    throw new ProbeException(source + ": malformed line \"" + line + "\"");
                }
            }
        }
        CyclictestOutput p = CyclictestOutput.read(source, out, json);
        p.sysinfo().forEach((k, v) -> facts.put("guest.cyclictest." + k, v));
        // a run that -l ended long after -D should have (its timer starved) had more periods than the duration's
        long elapsedNs = elapsedNs(facts.get("guest.elapsed"));
        long expected = Math.max(durationNs, elapsedNs > durationNs + 1_000_000_000L ? elapsedNs : 0) / intervalNs;
        List<ThreadResult> threads = new ArrayList<>();
        for (ThreadResult t : p.threads()) {
            threads.add(new ThreadResult(t.thread(), t.cpu(), intervalNs, t.resolutionNs(), t.count(), t.minNs(), t.maxNs(),
                    t.sumNs(), Math.max(0, expected - t.count()), t.histogramOverflows(), t.histogram(), t.spikes()));
        }
        return new GuestOutput(threads, facts, p.version(), rc);
    }

    /** A warning when cyclictest ran well past its duration (its -D timer starved, -l ended it), else null. */
    public String overrunWarning(long durationNs) {
        long e = elapsedNs(facts.get("guest.elapsed"));
        if (e <= durationNs + 1_000_000_000L) return null;
        return String.format(java.util.Locale.ROOT, "cyclictest ran %.1f s in the guest for a %d s duration: its -D timer was starved "
                + "(every period overran) and -l ended it; missed periods are counted over the %.1f s", e / 1e9, durationNs / 1_000_000_000L, e / 1e9);
    }

    /** cyclictest's wall time in the guest (seconds from /proc/uptime), or 0. */
    static long elapsedNs(String seconds) {
        if (seconds == null || seconds.isBlank()) return 0;
        try {
            return Math.round(Double.parseDouble(seconds) * 1e9);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * What a guest serving scenarios reported left of the probe and the load after one
     * ("VMLAT-CLEAN id=n left=cyclictest:80,"): "" when nothing, the processes as "name:pid, ..."
     * otherwise, null when the report is missing.
     */
    public static String leftover(String text) {
        int at = text.lastIndexOf("VMLAT-CLEAN ");
        if (at < 0) return null;
        int eol = text.indexOf('\n', at);
        String line = text.substring(at, eol < 0 ? text.length() : eol).replace("\r", "").strip();
        int left = line.indexOf(" left=");
        if (left < 0) return null;
        String v = line.substring(left + 6).strip();
        if (v.equals("none")) return "";
        return String.join(", ", java.util.Arrays.stream(v.split(",")).filter(x -> !x.isBlank()).toList());
    }

    /** The end of a console, one line, for an error message: "; console: ...|..." (empty for none). */
    public static String consoleTail(String console, int max) {
        String t = console.replace("\r", "").strip();
        if (t.isEmpty()) return "";
        t = t.length() > max ? t.substring(t.length() - max) : t;
        return "; console: " + t.replace('\n', '|');
    }

    private static String between(String text, String from, String to) {
        int a = text.indexOf(from), b = text.indexOf(to);
        if (a < 0 || b < a) throw new ProbeException("the guest's result is incomplete (markers " + from.strip() + ".." + to + " missing)");
        return text.substring(a + from.length(), b);
    }
}
