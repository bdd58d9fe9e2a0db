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
import org.vmlat.latency.FormatException;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;

/** Turns any cyclictest output (format detected) into vmlat's result model. */
public final class CyclictestImporter {
    public static final String ENGINE = "cyclictest-import";

    private CyclictestImporter() {}

    /**
     * @param source   name for messages and the result's settings
     * @param in       the output, read once; text formats are streamed
     * @param unit     unit of text formats (us, ns for output of {@code cyclictest -N}, or
     *                 detected: see {@link TextUnit}); JSON states its own unit
     * @param spikes   how many worst samples to keep per thread (only verbose output has them)
     * @throws FormatException when the unit given contradicts the file's T: lines, or when it was
     *                         to be detected and the file looks like ns output without saying so
     */
    public static MeasurementResult read(String source, BufferedReader in, TextUnit unit, int spikes) {
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
            long headUnit = 0;
            for (String line : start.split("\n")) {
                headUnit = CyclictestTextReader.unitOfSummaryLine(line);
                if (headUnit != 0) break;
            }
            long unitNs = unit != TextUnit.DETECT ? unit.ns : headUnit != 0 ? headUnit : TextUnit.MICROSECONDS.ns;
            CyclictestTextReader.Parsed p = new CyclictestTextReader(source, unitNs, spikes).read(in);
            if (p.tLineUnitNs() != 0 && p.tLineUnitNs() != unitNs) {
                throw new FormatException(source, p.tLineUnitLine(), "T: line", p.tLineUnitNs() == 1
                        ? "Act/Avg are printed 8 wide: this is output of cyclictest -N, in ns, not us"
                                + (unit == TextUnit.MICROSECONDS ? " (drop --usecs)" : " (import with --nsecs)")
                        : "Act/Avg are printed 5 wide: this is output of cyclictest without -N, in us, not ns"
                                + (unit == TextUnit.NANOSECONDS ? " (drop --nsecs)" : " (import with --usecs)"));
            }
            String unitFrom;
            if (unit != TextUnit.DETECT) {
                unitFrom = "given";
            } else if (p.tLineUnitNs() != 0) {
                unitFrom = "T: line field widths";
            } else {
                unitFrom = "assumed (the file does not state it)";
                for (ThreadResult t : p.threads()) {
                    if (t.count() > 0 && t.minNs() >= TextUnit.IMPLAUSIBLE_MIN_US * 1000) {
                        throw new FormatException(source, 0, null, "thread " + t.thread() + "'s smallest latency would be "
                                + t.minNs() / 1000 + " us: this looks like output of cyclictest -N, in ns; the file does not"
                                + " say which: import with --nsecs, or with --usecs if these really are microseconds");
                    }
                }
                warnings.add("the file does not state its unit: read as microseconds (cyclictest's default);"
                        + " output of cyclictest -N needs --nsecs");
            }
            settings.put("format", p.format().name().toLowerCase(java.util.Locale.ROOT));
            settings.put("unit_ns", Long.toString(unitNs));
            settings.put("unit_from", unitFrom);
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
