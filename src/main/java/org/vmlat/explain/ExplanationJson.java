package org.vmlat.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/**
 * Explanations as JSON, the form they are stored in with a scenario's settings:
 * {@code {"format": "vmlat-explain/1", "spikes": [ {thread, tid, cpu, expiresNs, latencyNs, measured, timerIrqNs,
 * wakeupNs, switchInNs, l1Ns, l2Ns, interferenceNs, unattributedNs, causes: [{part, kind, name, pid, prio,
 * durationNs}], trace} ]}}; part and kind are the names of {@link Part} and {@link Cause.Kind}.
 */
public final class ExplanationJson {
    public static final String FORMAT = "vmlat-explain/1";
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private record Document(String format, List<SpikeExplanation> spikes) {}

    private ExplanationJson() {}

    public static String write(List<SpikeExplanation> spikes) {
        try {
            return JSON.writeValueAsString(new Document(FORMAT, spikes));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("explanations cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException when the text is not explanations of this format */
    public static List<SpikeExplanation> read(String json) {
        Document d;
        try {
            d = JSON.readValue(json, Document.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("explanations: not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!FORMAT.equals(d.format())) throw new IllegalArgumentException("explanations: format must be " + FORMAT + ", got " + d.format());
        return d.spikes() == null ? List.of() : d.spikes();
    }
}
