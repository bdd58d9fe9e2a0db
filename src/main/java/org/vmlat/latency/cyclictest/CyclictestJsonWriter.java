package org.vmlat.latency.cyclictest;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmlat.latency.ThreadResult;

/**
 * Writes the file cyclictest writes with {@code --json=FILE} (rt-tests 2.10 layout: two-space
 * indentation, the keys {@code cmdline:} and {@code rt_test_version:} with their colon, histogram
 * buckets in whole microseconds with only non-empty ones listed), so tools made for cyclictest's
 * JSON read vmlat's measurements. Values are in microseconds ({@code resolution_in_ns} 0), the
 * histogram holds buckets below {@code maxUs} and {@code node} is -1 (vmlat does not record it).
 */
public final class CyclictestJsonWriter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The file's header: what ran, when (epoch ms, 0 unknown) and where. */
    public record Header(String commandLine, String version, long startMs, long endMs, int returnCode, Map<String, String> sysinfo,
                         boolean realtime) {}

    private CyclictestJsonWriter() {}

    public static String write(Header h, List<ThreadResult> threads, int maxUs) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"file_version\": 1,\n");
        sb.append("  \"cmdline:\": ").append(quote(h.commandLine())).append(",\n");
        sb.append("  \"rt_test_version:\": ").append(quote(h.version())).append(",\n");
        sb.append("  \"start_time\": ").append(quote(time(h.startMs()))).append(",\n");
        sb.append("  \"end_time\": ").append(quote(time(h.endMs()))).append(",\n");
        sb.append("  \"return_code\": ").append(h.returnCode()).append(",\n");
        sb.append("  \"sysinfo\": {\n");
        for (String k : List.of("sysname", "nodename", "release", "version", "machine")) {
            sb.append("    ").append(quote(k)).append(": ").append(quote(h.sysinfo().getOrDefault(k, ""))).append(",\n");
        }
        sb.append("    \"realtime\": ").append(h.realtime() ? 1 : 0).append("\n  },\n");
        sb.append("  \"num_threads\": ").append(threads.size()).append(",\n");
        sb.append("  \"resolution_in_ns\": 0,\n");
        sb.append("  \"thread\": {\n");
        for (int i = 0; i < threads.size(); i++) {
            ThreadResult t = threads.get(i);
            sb.append("    \"").append(i).append("\": {\n      \"histogram\": {\n");
            boolean first = true;
            for (Map.Entry<Long, Long> e : CyclictestHistogramWriter.microseconds(t).entrySet()) {
                if (e.getKey() >= maxUs) continue;
                sb.append(first ? "" : ",\n").append("        \"").append(e.getKey()).append("\": ").append(e.getValue());
                first = false;
            }
            sb.append(first ? "" : "\n").append("      },\n");
            sb.append("      \"cycles\": ").append(t.count()).append(",\n");
            sb.append("      \"min\": ").append(t.count() == 0 ? 0 : t.minNs() / 1000).append(",\n");
            sb.append("      \"max\": ").append(t.count() == 0 ? 0 : t.maxNs() / 1000).append(",\n");
            sb.append("      \"avg\": ").append(String.format(Locale.ROOT, "%.2f", t.count() == 0 ? 0.0 : t.meanNs() / 1000)).append(",\n");
            sb.append("      \"cpu\": ").append(t.cpu()).append(",\n");
            sb.append("      \"node\": ").append(-1).append("\n");
            sb.append("    }").append(i + 1 < threads.size() ? "," : "").append('\n');
        }
        return sb.append("  }\n}\n").toString();
    }

    private static String time(long ms) {
        return ms > 0 ? TIME.format(Instant.ofEpochMilli(ms)) : "";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : (s == null ? "" : s).toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : c);
            }
        }
        return sb.append('"').toString();
    }
}
