package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.cyclictest.TextUnit;
import org.vmlat.report.MeasurementFiles;
import org.vmlat.report.ResultJsonFormat;
import org.vmlat.report.SummaryTextFormat;
import org.vmlat.store.ImportedRun;
import org.vmlat.store.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        header = "Turn a cyclictest output file (or a vmlat result) into a vmlat result, or a stored run.",
        description = {
            "Reads any cyclictest output (format detected): T: summary lines (plain or -q, live output with",
            "escapes), -h/-H histogram blocks of rt-tests <= 2.6 and >= 2.7, -v per-sample output (streamed),",
            "or --json files. Text outputs do not say their unit: vmlat reads it from the T: lines' field widths;",
            "a file without T: lines is read as us and refused if its smallest latency is 1 ms or more (then",
            "give --nsecs for output of cyclictest -N, or --usecs). A vmlat result JSON (measure/import --json) is read too.",
            "With --store the measurement becomes a run of one scenario (settings: imported, imported_from), which",
            "tail, compare, report and runs show read like a lab run."},
        footer = ExitCodes.FOOTER)
public final class ImportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "cyclictest output file.")
    Path file;

    @Option(names = "--json", paramLabel = "OUT", description = "Write vmlat's result JSON.")
    Path json;

    @Option(names = {"-N", "--nsecs"}, description = "The text output is in ns (cyclictest -N).")
    boolean nsecs;

    @Option(names = "--usecs", description = "The text output is in us (cyclictest without -N), even if its smallest latency is 1 ms or more.")
    boolean usecs;

    @Option(names = "--store", paramLabel = "URL",
            description = "Also store the measurement as a run of one scenario in this store (a SQLite file path or sqlite:PATH).")
    String store;

    @Option(names = "--spikes", defaultValue = "10", description = "Worst samples kept per thread (verbose input). Default: ${DEFAULT-VALUE}.")
    int spikes;

    @Override
    public Integer call() throws IOException {
        if (nsecs && usecs) throw new VmlatException(ExitCodes.USAGE, "--nsecs and --usecs: give one of them");
        PrintWriter out = spec.commandLine().getOut();
        MeasurementResult r;
        try {
            r = MeasurementFiles.read(file, nsecs ? TextUnit.NANOSECONDS : usecs ? TextUnit.MICROSECONDS : TextUnit.DETECT, spikes);
        } catch (NoSuchFileException e) {
            throw new VmlatException(ExitCodes.ERROR, file + ": no such file");
        }
        out.printf("# vmlat import: %s (%s%s)%n", file, r.settings().getOrDefault("format", r.engine() + " result"),
                r.settings().containsKey("cyclictest_version") ? ", cyclictest " + r.settings().get("cyclictest_version") : "");
        out.print(SummaryTextFormat.write(r, 5));
        if (json != null) {
            Files.writeString(json, ResultJsonFormat.write(r));
            out.println("Result written to " + json);
        }
        if (store != null) {
            StoreOption where = new StoreOption();
            where.store = store;
            try (ResultStore s = where.openForWriting()) {
                ImportedRun run = ImportedRun.add(s, r, file.toString());
                out.printf("Stored as run %d in %s (vmlat runs show %d; vmlat tail %d:1; vmlat compare RUN:SCENARIO %d:1)%n",
                        run.runId(), store, run.runId(), run.runId(), run.runId());
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
