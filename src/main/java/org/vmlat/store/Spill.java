package org.vmlat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;

/**
 * A scenario's end that the store could not take (its disk was full), kept in a file until a
 * resumed run imports it with {@link ResultStore#importSpill}: the same figures a finished
 * scenario stores, so nothing measured is lost.
 *
 * @param store    the store the result belongs to (its location), so a spill is imported only there
 * @param attempt  the attempt it ended (1 for a scenario's first)
 * @param threads  the per-thread results, histograms included
 * @param intervals the worst samples of intervals not stored yet
 */
public record Spill(String store, long runId, int scenarioIndex, int attempt, ScenarioStatus status, String reason,
                    Map<String, String> settings, List<String> warnings, boolean realtime, List<ThreadResult> threads,
                    List<IntervalMax> intervals) {
    /** The first line's format name; {@link #VERSION} is its version. */
    public static final String FORMAT = "vmlat-spill";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Spill {
        if (store == null || store.isBlank()) throw new IllegalArgumentException("store: must name the store, got \"" + store + "\"");
        if (runId <= 0) throw new IllegalArgumentException("runId: must be positive, got " + runId);
        if (scenarioIndex < 0) throw new IllegalArgumentException("scenarioIndex: must be 0 or more, got " + scenarioIndex);
        if (attempt < 1) throw new IllegalArgumentException("attempt: must be 1 or more, got " + attempt);
        if (status == null || status == ScenarioStatus.PENDING || status == ScenarioStatus.RUNNING) {
            throw new IllegalArgumentException("status: must say how the attempt ended (done, partial, failed), got " + status);
        }
        settings = Map.copyOf(settings);
        warnings = List.copyOf(warnings);
        threads = List.copyOf(threads);
        intervals = List.copyOf(intervals);
    }

    /** Samples it holds, summed over its threads. */
    public long samples() {
        return threads.stream().mapToLong(ThreadResult::count).sum();
    }

    /** The file name a spill has: {@code run-R-scenario-S-attempt-A.json}, S counting from 1 as the lab prints it. */
    public String fileName() {
        return "run-" + runId + "-scenario-" + (scenarioIndex + 1) + "-attempt-" + attempt + ".json";
    }

    /** The spill as JSON (see {@link #read} for the format). */
    public String write() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("version", VERSION);
        o.put("store", store);
        o.put("run", runId);
        o.put("scenario_index", scenarioIndex);
        o.put("attempt", attempt);
        o.put("status", status.storedName());
        o.put("reason", reason);
        ObjectNode s = o.putObject("settings");
        new TreeMap<>(settings).forEach(s::put);
        ArrayNode w = o.putArray("warnings");
        warnings.forEach(w::add);
        o.put("realtime", realtime);
        ArrayNode ts = o.putArray("threads");
        for (ThreadResult t : threads) {
            ObjectNode n = ts.addObject();
            n.put("thread", t.thread());
            n.put("cpu", t.cpu());
            n.put("interval_ns", t.intervalNs());
            n.put("resolution_ns", t.resolutionNs());
            n.put("count", t.count());
            n.put("min_ns", t.minNs());
            n.put("max_ns", t.maxNs());
            n.put("sum_ns", t.sumNs());
            n.put("overruns", t.overruns());
            n.put("histogram_overflows", t.histogramOverflows());
            n.put("histogram", Base64.getEncoder().encodeToString(LatencyHistograms.encode(t.histogram())));
            ArrayNode sp = n.putArray("spikes");
            for (Spike k : t.spikes()) sp.addArray().add(k.latencyNs()).add(k.cycle()).add(k.expectedNs());
        }
        ArrayNode iv = o.putArray("intervals");
        for (IntervalMax m : intervals) iv.addArray().add(m.thread()).add(m.cpu()).add(m.startMs()).add(m.endMs()).add(m.count()).add(m.maxNs());
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a spill. The format: one JSON object with {@code format} = {@value #FORMAT}, {@code
     * version} = 1, {@code store} (the store's location), {@code run}, {@code scenario_index}
     * (from 0), {@code attempt} (from 1), {@code status} (done, partial or failed), {@code reason}
     * (null or text), {@code settings} (text to text), {@code warnings} (texts), {@code realtime},
     * and {@code threads}: objects with the figures of a thread's result in nanoseconds
     * ({@code thread, cpu, interval_ns, resolution_ns, count, min_ns, max_ns, sum_ns, overruns,
     * histogram_overflows}), {@code histogram} (HdrHistogram's compressed encoding in base64) and
     * {@code spikes} ([latency_ns, cycle, expected_ns] triples); {@code intervals}: [thread, cpu,
     * start_ms, end_ms, count, max_ns] of intervals not stored yet.
     *
     * @param file where the text came from, for messages
     * @throws FormatException naming the file and the field that is wrong
     */
    public static Spill read(String file, String text) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new FormatException(file, 0, null, "not JSON: " + e.getOriginalMessage());
        }
        if (o == null || !o.isObject() || !FORMAT.equals(o.path("format").asText(null))) {
            throw new FormatException(file, 0, "format", "not a vmlat spill (format \"" + FORMAT + "\" expected)");
        }
        if (o.path("version").asInt(-1) != VERSION) {
            throw new FormatException(file, 0, "version", "version " + o.path("version") + " is not " + VERSION + " (written by another vmlat)");
        }
        try {
            Map<String, String> settings = new LinkedHashMap<>();
            o.path("settings").fields().forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
            List<String> warnings = new ArrayList<>();
            o.path("warnings").forEach(w -> warnings.add(w.asText()));
            List<ThreadResult> threads = new ArrayList<>();
            for (JsonNode n : o.path("threads")) {
                List<Spike> spikes = new ArrayList<>();
                for (JsonNode k : n.path("spikes")) spikes.add(new Spike(k.get(0).asLong(), k.get(1).asLong(), k.get(2).asLong()));
                threads.add(new ThreadResult(n.path("thread").asInt(), n.path("cpu").asInt(), number(file, n, "interval_ns"),
                        number(file, n, "resolution_ns"), number(file, n, "count"), number(file, n, "min_ns"), number(file, n, "max_ns"),
                        number(file, n, "sum_ns"), number(file, n, "overruns"), number(file, n, "histogram_overflows"),
                        histogram(file, n), spikes));
            }
            List<IntervalMax> intervals = new ArrayList<>();
            for (JsonNode k : o.path("intervals")) {
                intervals.add(new IntervalMax(k.get(0).asInt(), k.get(1).asInt(), k.get(2).asLong(), k.get(3).asLong(), k.get(4).asLong(), k.get(5).asLong()));
            }
            JsonNode reason = o.path("reason");
            return new Spill(o.path("store").asText(null), number(file, o, "run"), (int) number(file, o, "scenario_index"),
                    (int) number(file, o, "attempt"), ScenarioStatus.fromStored(o.path("status").asText()),
                    reason.isTextual() ? reason.asText() : null, settings, warnings, o.path("realtime").asBoolean(), threads, intervals);
        } catch (IllegalArgumentException | StoreException e) {
            throw new FormatException(file, 0, null, e.getMessage());
        }
    }

    private static long number(String file, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber()) throw new FormatException(file, 0, field, "expected an integer, got " + v);
        return v.asLong();
    }

    private static AbstractHistogram histogram(String file, JsonNode n) {
        try {
            return LatencyHistograms.decode(Base64.getDecoder().decode(n.path("histogram").asText()));
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, 0, "histogram", e.getMessage());
        }
    }
}
