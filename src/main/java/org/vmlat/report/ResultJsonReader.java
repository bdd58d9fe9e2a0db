package org.vmlat.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.Breaktrace;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.Spike;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;

/**
 * Reads vmlat's result file back (the format {@link ResultJsonFormat} writes and documents).
 * The histogram of each thread ({@code histogram_hdr}) is the distribution; the figures beside
 * it are derived from it and only the ones it cannot give are read: count, min, max, overruns,
 * overflows and the mean (the exact sum is not written: it is rebuilt as
 * {@code round(mean_ns * count)}, as for imported cyclictest results).
 */
public final class ResultJsonReader {
    private ResultJsonReader() {}

    /** Whether {@code head} (the start of a file) is a vmlat result rather than a cyclictest output. */
    public static boolean looksLikeResult(String head) {
        return head.stripLeading().startsWith("{") && head.contains("\"" + ResultJsonFormat.FORMAT + "\"");
    }

    /** @throws FormatException naming the source and the field when the text is not a readable vmlat result */
    public static MeasurementResult read(String source, String text) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new FormatException(source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), null, "not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !ResultJsonFormat.FORMAT.equals(root.path("format").asText())) {
            throw new FormatException(source, 0, "format", "not a vmlat result (expected \"" + ResultJsonFormat.FORMAT + "\")");
        }
        int version = root.path("version").asInt(-1);
        if (version != ResultJsonFormat.VERSION) {
            throw new FormatException(source, 0, "version", "vmlat result version " + version + ", this vmlat reads " + ResultJsonFormat.VERSION);
        }
        List<ThreadResult> threads = new ArrayList<>();
        int i = 0;
        for (JsonNode t : root.path("threads")) threads.add(thread(source, i++, t));
        JsonNode bt = root.path("breaktrace");
        Optional<Breaktrace> breaktrace = bt.isObject()
                ? Optional.of(new Breaktrace(bt.path("threshold_ns").asLong(), bt.path("thread").asInt(-1), bt.path("cycle").asLong(-1),
                        bt.path("latency_ns").asLong(), bt.path("expected_ns").asLong(-1)))
                : Optional.empty();
        List<String> warnings = new ArrayList<>();
        for (JsonNode w : root.path("warnings")) warnings.add(w.asText());
        return new MeasurementResult(text(source, root, "engine"), strings(root.path("settings")), strings(root.path("system")),
                root.path("realtime").asBoolean(true), threads, epochMs(source, root, "start"), epochMs(source, root, "end"),
                root.path("start_monotonic_ns").asLong(-1), stopReason(source, root), breaktrace, warnings);
    }

    private static ThreadResult thread(String source, int i, JsonNode t) {
        String where = "threads[" + i + "]";
        AbstractHistogram h;
        try {
            h = LatencyHistograms.decode(Base64.getDecoder().decode(t.path("histogram_hdr").asText("")));
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, 0, where + ".histogram_hdr", e.getMessage());
        }
        long count = t.path("count").asLong(-1);
        if (count < 0) throw new FormatException(source, 0, where + ".count", "missing");
        long sum = t.path("mean_ns").isNumber() ? Math.round(t.path("mean_ns").asDouble() * count) : 0;
        List<Spike> spikes = new ArrayList<>();
        for (JsonNode s : t.path("spikes")) spikes.add(new Spike(s.path("latency_ns").asLong(), s.path("cycle").asLong(-1), s.path("expected_ns").asLong(-1)));
        try {
            return new ThreadResult(t.path("thread").asInt(i), t.path("cpu").asInt(-1), t.path("interval_ns").asLong(0),
                    t.path("resolution_ns").asLong(1), count, t.path("min_ns").asLong(0), t.path("max_ns").asLong(0), sum,
                    t.path("overruns").asLong(-1), t.path("histogram_overflows").asLong(0), h, spikes);
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, 0, where, e.getMessage());
        }
    }

    private static String text(String source, JsonNode root, String field) {
        String v = root.path(field).asText("");
        if (v.isBlank()) throw new FormatException(source, 0, field, "missing");
        return v;
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
        return m;
    }

    private static long epochMs(String source, JsonNode root, String field) {
        JsonNode v = root.path(field);
        if (!v.isTextual()) return 0;
        try {
            return Instant.parse(v.asText()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new FormatException(source, 0, field, "expected an ISO-8601 instant, got \"" + v.asText() + "\"");
        }
    }

    private static StopReason stopReason(String source, JsonNode root) {
        String v = root.path("stop_reason").asText("unknown");
        try {
            return StopReason.valueOf(v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FormatException(source, 0, "stop_reason", "unknown value \"" + v + "\"");
        }
    }
}
