package org.vmlat.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.cyclictest.CyclictestImporter;
import org.vmlat.latency.cyclictest.TextUnit;
import org.vmlat.report.ResultJsonFormat;
import org.vmlat.report.SummaryTextFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        header = "Turn a cyclictest output file into a vmlat result.",
        description = {
            "Reads any cyclictest output (format detected): T: summary lines (plain or -q, live output with",
            "escapes), -h/-H histogram blocks of rt-tests <= 2.6 and >= 2.7, -v per-sample output (streamed),",
            "or --json files. Text outputs do not say their unit: vmlat reads it from the T: lines' field widths;",
            "a file without T: lines is read as us and refused if its smallest latency is 1 ms or more (then",
            "give --nsecs for output of cyclictest -N, or --usecs)."},
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

    @Option(names = "--spikes", defaultValue = "10", description = "Worst samples kept per thread (verbose input). Default: ${DEFAULT-VALUE}.")
    int spikes;

    @Override
    public Integer call() throws IOException {
        if (nsecs && usecs) throw new VmlatException(ExitCodes.USAGE, "--nsecs and --usecs: give one of them");
        PrintWriter out = spec.commandLine().getOut();
        MeasurementResult r;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            r = CyclictestImporter.read(file.toString(), in, nsecs ? TextUnit.NANOSECONDS : usecs ? TextUnit.MICROSECONDS : TextUnit.DETECT, spikes);
        } catch (NoSuchFileException e) {
            throw new VmlatException(ExitCodes.ERROR, file + ": no such file");
        }
        out.printf("# vmlat import: %s (%s%s)%n", file, r.settings().get("format"),
                r.settings().containsKey("cyclictest_version") ? ", cyclictest " + r.settings().get("cyclictest_version") : "");
        out.print(SummaryTextFormat.write(r, 5));
        if (json != null) {
            Files.writeString(json, ResultJsonFormat.write(r));
            out.println("Result written to " + json);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
