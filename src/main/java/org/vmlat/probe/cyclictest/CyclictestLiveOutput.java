package org.vmlat.probe.cyclictest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.latency.cyclictest.CyclictestTextReader;
import org.vmlat.probe.ThreadStatus;

/**
 * cyclictest's output while it runs, line by line from stdout and stderr: the live {@code T:}
 * lines (redrawn in place with terminal escapes; the latest per thread is kept for the status and
 * the figures of a run that printed no histogram), the {@code -h} histogram block and its {@code #} lines (kept for
 * {@link CyclictestOutput}), and cyclictest's messages (warnings, refusals). Memory stays bounded
 * by the threads and the histogram's rows, however long the run.
 */
public final class CyclictestLiveOutput {
    private static final Pattern T_LINE = CyclictestTextReader.T_LINE;
    private static final Pattern ESCAPES = CyclictestTextReader.ESCAPES;
    private static final Pattern BUCKET_ROW = Pattern.compile("\\d{6,}\\s.*");

    private final Map<Integer, String> lastT = new TreeMap<>();
    private final StringBuilder histogram = new StringBuilder();
    private final List<String> messages = new ArrayList<>();

    /** Takes one line; true when it was a {@code T:} line (the status may have changed). */
    public boolean accept(String raw) {
        String line = ESCAPES.matcher(raw).replaceAll("").strip();
        Matcher m = T_LINE.matcher(line);
        if (m.matches()) {
            lastT.put(Integer.parseInt(m.group(1)), line);
            return true;
        }
        if (line.startsWith("#") || BUCKET_ROW.matcher(line).matches()) {
            histogram.append(line).append('\n');
        } else if (!line.isEmpty() && !line.startsWith("policy:")) {
            messages.add(line);
        }
        return false;
    }

    /** How many threads have printed a {@code T:} line. */
    public int threadsSeen() {
        return lastT.size();
    }

    /** The latest {@code T:} line of each thread, in vmlat's terms (cyclictest prints microseconds). */
    public List<ThreadStatus> statuses() {
        List<ThreadStatus> out = new ArrayList<>();
        for (String l : lastT.values()) {
            Matcher m = T_LINE.matcher(l);
            m.matches();
            out.add(new ThreadStatus(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), -1,
                    Integer.parseInt(m.group(3)), us(m, 4), Long.parseLong(m.group(5)),
                    us(m, 6), us(m, 7), us(m, 8), us(m, 9), 0));
        }
        return out;
    }

    private static long us(Matcher m, int group) {
        return Long.parseLong(m.group(group)) * CyclictestOutput.UNIT_NS;
    }

    /**
     * The text to read at the end: the histogram block when cyclictest printed it whole, since the
     * live {@code T:} lines are redrawn every 100 ms and the last of them misses the final cycles
     * (its C: can be a few short of the histogram's count); else each thread's last {@code T:} line.
     */
    public String text() {
        if (histogram.indexOf("\n# Max Latencies:") >= 0) return histogram.toString();
        StringBuilder t = new StringBuilder();
        lastT.values().forEach(l -> t.append(l).append('\n'));
        return t.append(histogram).toString();
    }

    /** cyclictest's other lines (warnings, errors), in the order they came. */
    public List<String> messages() {
        return List.copyOf(messages);
    }
}
