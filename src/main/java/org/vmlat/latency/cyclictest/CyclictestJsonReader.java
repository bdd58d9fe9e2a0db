package org.vmlat.latency.cyclictest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.ThreadResult;

/**
 * Reads the file cyclictest writes with {@code --json=FILE} (see {@link CyclictestFormat} for its
 * quirks). The mean is the printed {@code avg} (two decimals, in the file's unit).
 */
public final class CyclictestJsonReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String source;

    /** The parsed file. */
    public record Parsed(List<ThreadResult> threads, String version, String commandLine, boolean realtime,
                         Map<String, String> sysinfo, long unitNs) {}

    public CyclictestJsonReader(String source) {
        this.source = source;
    }

    public Parsed read(String text) {
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new FormatException(source, line, null, "not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new FormatException(source, 1, null, "expected a JSON object");
        String cmdline = text(root, "cmdline:", "cmdline");
        String version = text(root, "rt_test_version:", "rt_test_version");
        JsonNode sys = root.path("sysinfo");
        Map<String, String> sysinfo = new LinkedHashMap<>();
        sys.fields().forEachRemaining(e -> sysinfo.put(e.getKey(), e.getValue().asText()));
        boolean realtime = sys.path("realtime").asInt(0) == 1;
        long unitNs = root.path("resolution_in_ns").asInt(0) == 1 ? 1 : 1000;
        JsonNode threads = root.get("thread");
        if (threads == null || !threads.isObject()) {
            throw new FormatException(source, 0, "thread", "missing: not a cyclictest --json file");
        }
        CommandLineFacts facts = CommandLineFacts.parse(cmdline == null ? "" : cmdline);
        List<ThreadResult> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = threads.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            int t = parseInt(e.getKey(), "thread");
            JsonNode n = e.getValue();
            ThreadAccumulator acc = new ThreadAccumulator(t, unitNs, 0);
            long bucketSum = 0;
            for (Iterator<Map.Entry<String, JsonNode>> b = n.path("histogram").fields(); b.hasNext(); ) {
                Map.Entry<String, JsonNode> bucket = b.next();
                long c = bucket.getValue().asLong();
                acc.bucket(parseInt(bucket.getKey(), "thread." + t + ".histogram"), c);
                bucketSum += c;
            }
            acc.count = number(n, "cycles", t).asLong();
            acc.min = number(n, "min", t).asLong() * unitNs;
            acc.max = number(n, "max", t).asLong() * unitNs;
            acc.sum = Math.round(number(n, "avg", t).asDouble() * unitNs * acc.count);
            acc.cpu = n.path("cpu").asInt(-1);
            // cyclictest's JSON has no overflow count: with a histogram, it is what the buckets miss
            acc.overflows = bucketSum > 0 ? Math.max(0, acc.count - bucketSum) : 0;
            acc.intervalNs = facts.intervalNs(t);
            out.add(acc.build());
        }
        out.sort((a, b) -> Integer.compare(a.thread(), b.thread()));
        return new Parsed(out, version, cmdline, realtime, sysinfo, unitNs);
    }

    private JsonNode number(JsonNode n, String field, int thread) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new FormatException(source, 0, "thread." + thread + "." + field, "missing or not a number");
        }
        return v;
    }

    private int parseInt(String s, String field) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new FormatException(source, 0, field, "expected an integer key, got \"" + s + "\"");
        }
    }

    private static String text(JsonNode root, String... keys) {
        for (String k : keys) {
            JsonNode v = root.get(k);
            if (v != null && !v.isNull()) return v.asText();
        }
        return null;
    }
}
