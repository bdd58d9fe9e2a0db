package org.vmlat.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.cyclictest.CyclictestImporter;
import org.vmlat.latency.cyclictest.TextUnit;

/**
 * A measurement made elsewhere, read from a file: vmlat's own result JSON ({@code measure
 * --json}, {@code import --json}) or any cyclictest output the importer knows (text, {@code -h},
 * {@code -v}, {@code --json}); which one is read off the file's start.
 */
public final class MeasurementFiles {
    private static final int HEAD_CHARS = 1 << 15;

    private MeasurementFiles() {}

    /**
     * @param unit   the unit of cyclictest text output (ignored for JSON, which states its own)
     * @param spikes worst samples kept per thread from verbose cyclictest output
     * @throws org.vmlat.latency.FormatException when the file is neither
     */
    public static MeasurementResult read(Path file, TextUnit unit, int spikes) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.mark(HEAD_CHARS + 1);
            char[] head = new char[HEAD_CHARS];
            int n = in.read(head);
            in.reset();
            if (n > 0 && ResultJsonReader.looksLikeResult(new String(head, 0, n))) {
                return ResultJsonReader.read(file.toString(), in.lines().collect(Collectors.joining("\n")));
            }
            return CyclictestImporter.read(file.toString(), in, unit, spikes);
        }
    }
}
