package org.vmlat.latency.cyclictest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;

/** Turns any cyclictest output (format detected) into vmlat's result model. */
public final class CyclictestImporter {
    public static final String ENGINE = "cyclictest-import";

    private CyclictestImporter() {}

    /**
     * @param source   name for messages and the result's settings
     * @param in       the output, read once; text formats are streamed
     * @param unitNs   unit of text formats (1000 = us, 1 = ns for output of {@code cyclictest -N});
     *                 JSON states its own unit
     * @param spikes   how many worst samples to keep per thread (only verbose output has them)
     */
    public static MeasurementResult read(String source, BufferedReader in, long unitNs, int spikes) {
        try {
            in.mark(1 << 16);
            char[] head = new char[1 << 15];
            int n = in.read(head);
            in.reset();
            String start = n <= 0 ? "" : new String(head, 0, n);
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("source", source);
            Map<String, String> system = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();
            if (CyclictestFormat.sniff(start) == CyclictestFormat.JSON) {
                String text = in.lines().collect(Collectors.joining("\n"));
                CyclictestJsonReader.Parsed p = new CyclictestJsonReader(source).read(text);
                settings.put("format", "json");
                settings.put("unit_ns", Long.toString(p.unitNs()));
                if (p.commandLine() != null) settings.put("command", p.commandLine());
                if (p.version() != null) settings.put("cyclictest_version", p.version());
                p.sysinfo().forEach((k, v) -> system.put("cyclictest." + k, v));
                if (p.threads().stream().anyMatch(t -> !t.hasDistribution())) {
                    warnings.add("no histogram in the file (cyclictest ran without -h): only count/min/mean/max are known");
                }
                return new MeasurementResult(ENGINE, settings, system, true, p.threads(), 0, 0, -1,
                        StopReason.UNKNOWN, Optional.empty(), warnings);
            }
            CyclictestTextReader.Parsed p = new CyclictestTextReader(source, unitNs, spikes).read(in);
            settings.put("format", p.format().name().toLowerCase(java.util.Locale.ROOT));
            settings.put("unit_ns", Long.toString(unitNs));
            if (!p.priorities().isEmpty()) {
                settings.put("priority", p.priorities().values().iterator().next().toString());
            }
            if (p.format() == CyclictestFormat.SUMMARY) {
                warnings.add("summary lines only: count/min/mean/max are known, the distribution is not");
            }
            return new MeasurementResult(ENGINE, settings, system, true, p.threads(), 0, 0, -1,
                    StopReason.UNKNOWN, Optional.empty(), warnings);
        } catch (IOException e) {
            throw new UncheckedIOException(source + ": " + e.getMessage(), e);
        }
    }
}
