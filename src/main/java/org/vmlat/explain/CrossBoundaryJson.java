package org.vmlat.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * A guest scenario's host side as JSON, stored with the scenario beside its explanations:
 * {@code {"format": "vmlat-explain-host/1", "alignment": {offsetNs, errorNs, samples, spreadNs}, "spikes": [{tid,
 * expiresNs, fromHostNs, toHostNs, causes: [{thread, tid, state, durationNs, by, intervals: [{fromHostNs, toHostNs,
 * by}]}]}]}}; state is the words of {@link HostCause.State}. {@code intervals} came later within the same format:
 * documents without it read with no intervals (their causes have a duration only), and readers that do not know it
 * skip it. So did {@code exits: [{thread, tid, reason, count, durationNs}]} beside {@code causes} (a KVM host's vCPU
 * exits): absent, it reads as none.
 */
public final class CrossBoundaryJson {
    public static final String FORMAT = "vmlat-explain-host/1";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** The stored document. */
    public record Document(String format, ClockAlignment alignment, List<CrossBoundary> spikes) {
        public Document {
            spikes = spikes == null ? List.of() : List.copyOf(spikes);
        }

        /** The host side of the guest spike of thread {@code tid} due at {@code expiresNs}, if it has one. */
        public Optional<CrossBoundary> spike(int tid, long expiresNs) {
            return spikes.stream().filter(c -> c.tid() == tid && c.expiresNs() == expiresNs).findFirst();
        }
    }

    private CrossBoundaryJson() {}

    public static String write(ClockAlignment alignment, List<CrossBoundary> spikes) {
        try {
            return JSON.writeValueAsString(new Document(FORMAT, alignment, spikes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("host side cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the text is not of this format */
    public static Document read(String json) {
        Document d;
        try {
            d = JSON.readValue(json, Document.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("host side: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(d.format())) throw new IllegalArgumentException("host side: format must be " + FORMAT + ", got " + d.format());
        return d;
    }
}
