package org.vmlat.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.Percentiles;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;

/**
 * vmlat's result file ({@code --json}): format "vmlat-result" version 1. All durations are integer
 * nanoseconds (keys end in {@code _ns}); a percentile is -1 when the distribution is unknown. The
 * full histogram of each thread is kept as HdrHistogram's compressed encoding in base64
 * ({@code histogram_hdr}), decodable with {@code Histogram.decodeFromCompressedByteBuffer}.
 */
public final class ResultJsonFormat {
    public static final String FORMAT = "vmlat-result";
    public static final int VERSION = 1;
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ResultJsonFormat() {}

    public static String write(MeasurementResult r) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("engine", r.engine());
        root.put("realtime", r.realtime());
        root.put("stop_reason", r.stopReason().name().toLowerCase(Locale.ROOT));
        root.put("start", r.startEpochMs() > 0 ? Instant.ofEpochMilli(r.startEpochMs()).toString() : null);
        root.put("end", r.endEpochMs() > 0 ? Instant.ofEpochMilli(r.endEpochMs()).toString() : null);
        root.put("start_monotonic_ns", r.startMonotonicNs());
        root.put("settings", r.settings());
        root.put("system", r.system());
        List<Object> threads = new ArrayList<>();
        for (ThreadResult t : r.threads()) threads.add(thread(t));
        root.put("threads", threads);
        root.put("breaktrace", r.breaktrace().map(b -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("threshold_ns", b.thresholdNs());
            // fields the source did not report are left out
            if (b.thread() >= 0) m.put("thread", b.thread());
            if (b.cycle() >= 0) m.put("cycle", b.cycle());
            m.put("latency_ns", b.latencyNs());
            if (b.expectedNs() >= 0) m.put("expected_ns", b.expectedNs());
            return m;
        }).orElse(null));
        root.put("warnings", r.warnings());
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One thread's figures, spikes and histogram, as the result file and the run export write them. */
    static Map<String, Object> thread(ThreadResult t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("thread", t.thread());
        m.put("cpu", t.cpu());
        m.put("interval_ns", t.intervalNs());
        m.put("resolution_ns", t.resolutionNs());
        m.put("count", t.count());
        m.put("overruns", t.overruns());
        m.put("min_ns", t.minNs());
        m.put("mean_ns", t.count() == 0 ? null : Math.round(t.meanNs()));
        for (double p : Percentiles.STANDARD) m.put(Percentiles.label(p).replace('.', '_') + "_ns", t.percentileNs(p));
        m.put("max_ns", t.maxNs());
        m.put("histogram_overflows", t.histogramOverflows());
        List<Object> spikes = new ArrayList<>();
        for (Spike s : t.spikes()) {
            Map<String, Object> sm = new LinkedHashMap<>();
            sm.put("latency_ns", s.latencyNs());
            sm.put("cycle", s.cycle());
            sm.put("expected_ns", s.expectedNs());
            spikes.add(sm);
        }
        m.put("spikes", spikes);
        m.put("histogram_hdr", encode(t.histogram()));
        return m;
    }

    static String encode(AbstractHistogram h) {
        return Base64.getEncoder().encodeToString(LatencyHistograms.encode(h));
    }
}
