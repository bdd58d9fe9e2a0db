package org.vmlat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.cyclictest.TextUnit;
import org.vmlat.report.MeasurementFiles;
import org.vmlat.store.ImportedRun;
import org.vmlat.store.ResultStore;

/**
 * What {@code tail} and {@code compare} read: {@code RUN[:SCENARIO]} of the store, or a
 * measurement file (a cyclictest output or a vmlat result) imported into a scratch store for the
 * command's lifetime. Numbers are runs; anything else is a file ({@code ./3} for a file named 3).
 */
final class MeasurementSource implements AutoCloseable {
    private static final Pattern RUN = Pattern.compile("(\\d+)(?::(\\d+))?");

    private final ResultStore store;
    private final ImportedRun.Scratch scratch;
    private final long run;
    private final int scenario;
    private final String label;

    private MeasurementSource(ResultStore store, ImportedRun.Scratch scratch, long run, int scenario, String label) {
        this.store = store;
        this.scratch = scratch;
        this.run = run;
        this.scenario = scenario;
        this.label = label;
    }

    static MeasurementSource open(String spec, StoreOption stores) {
        Matcher m = RUN.matcher(spec);
        if (m.matches()) {
            int scenario = m.group(2) == null ? -1 : Integer.parseInt(m.group(2));
            return new MeasurementSource(stores.open(), null, Long.parseLong(m.group(1)), scenario,
                    "run " + m.group(1) + (scenario >= 0 ? " scenario " + scenario : ""));
        }
        Path file = Path.of(spec);
        if (!Files.isRegularFile(file)) {
            throw new VmlatException(ExitCodes.USAGE, "expected RUN, RUN:SCENARIO (vmlat runs list) or a measurement file, got \"" + spec
                    + "\"" + (spec.contains(":") ? "" : ": no such file"));
        }
        MeasurementResult r; // a FormatException names the file and line, as vmlat import's
        try {
            r = MeasurementFiles.read(file, TextUnit.DETECT, 10);
        } catch (NoSuchFileException e) {
            throw new VmlatException(ExitCodes.ERROR, spec + ": no such file");
        } catch (IOException e) {
            throw new VmlatException(ExitCodes.ERROR, spec + ": " + e.getMessage());
        }
        ImportedRun.Scratch s = ImportedRun.scratch(r, spec);
        return new MeasurementSource(s.store(), s, s.run().runId(), s.run().scenario(), spec);
    }

    ResultStore store() {
        return store;
    }

    long run() {
        return run;
    }

    /** The scenario (1-based), -1 for every scenario of the run. */
    int scenario() {
        return scenario;
    }

    /** "run 3 scenario 2" or the file, for messages. */
    String label() {
        return label;
    }

    boolean isFile() {
        return scratch != null;
    }

    @Override
    public void close() {
        if (scratch != null) scratch.close();
        else store.close();
    }
}
