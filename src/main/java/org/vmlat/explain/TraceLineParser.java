package org.vmlat.explain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads tracefs's text format, the lines of {@code trace} and {@code trace_pipe} (and of
 * {@code trace-cmd report}):
 *
 * <pre>
 *    vmlat-probe-0-4968    [001] d.h2.  2978.015742: sched_wakeup: comm=vmlat-probe-0 pid=4968 prio=4 target_cpu=001
 * </pre>
 *
 * that is {@code COMM-PID}, optionally {@code (TGID)}, {@code [CPU]}, the latency flags (absent
 * when the {@code irq-info} option is off), {@code SECONDS.MICROSECONDS:}, {@code EVENT:} and
 * the event's fields. Fields are {@code key=value} separated by single spaces; a value may itself
 * hold spaces (QEMU names its vCPU threads {@code CPU 0/TCG}), so a value runs up to the next
 * {@code " key="}; brackets around fields ({@code vec=7 [action=SCHED]}) only group. sched_switch's {@code ==>} between the two tasks is not a field and is dropped.
 * Comment lines ({@code #}) and lines that are not events give no event.
 */
public final class TraceLineParser {
    private static final Pattern LINE = Pattern.compile(
            "^\\s*(.*?)-(\\d+)\\s+(?:\\(\\s*[-\\d]+\\)\\s+)?\\[(\\d+)\\]\\s+(?:(\\S{4,8})\\s+)?(\\d+)\\.(\\d{1,9}):\\s+(\\w+):\\s?(.*)$");
    private static final Pattern KEY = Pattern.compile("(?:^|\\s)(\\w+)=");

    private TraceLineParser() {}

    public static Optional<TraceEvent> parse(String line) {
        if (line.isEmpty() || line.charAt(0) == '#') return Optional.empty();
        Matcher m = LINE.matcher(line);
        if (!m.matches()) return Optional.empty();
        String fraction = m.group(6);
        long fractionNs = Long.parseLong(fraction) * pow10(9 - fraction.length());
        long tsNs = Long.parseLong(m.group(5)) * 1_000_000_000L + fractionNs;
        return Optional.of(new TraceEvent(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                m.group(4) == null ? "" : m.group(4), tsNs, m.group(7), fields(unbracketed(m.group(8).replace(" ==> ", " "))), line));
    }

    /** The {@code key=value} fields of an event's text, in order; text before the first key is dropped. */
    static Map<String, String> fields(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher k = KEY.matcher(text);
        String key = null;
        int valueStart = 0;
        while (k.find()) {
            if (key != null) out.put(key, text.substring(valueStart, k.start()));
            key = k.group(1);
            valueStart = k.end();
        }
        if (key != null) out.put(key, text.substring(valueStart).stripTrailing());
        return out;
    }

    /** softirq_entry prints {@code vec=7 [action=SCHED]}: the brackets only group, they are not part of a value. */
    private static String unbracketed(String text) {
        String t = text.replace(" [", " ");
        return t.endsWith("]") ? t.substring(0, t.length() - 1) : t;
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) p *= 10;
        return p;
    }
}
