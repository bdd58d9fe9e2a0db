package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.report.ExportFormat;
import org.vmlat.report.RunListing;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runs", mixinStandardHelpOptions = true, header = "List, show and export stored runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Export.class})
public final class RunsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "The runs in the store.")
    static final class ListRuns implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Leftovers.mention(spec.commandLine().getErr());
            try (ResultStore s = store.open()) {
                out.print(RunListing.runs(s.runs()));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, header = "A run's scenarios, settings and results.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN", converter = Converters.RunNumber.class)
        long runId;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Leftovers.mention(spec.commandLine().getErr());
            try (ResultStore s = store.open()) {
                out.print(RunListing.show(s.run(runId), s.scenarios(runId)));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, header = "Export a run as CSV, JSON, HdrHistogram logs, tidy buckets or cyclictest's -h and --json layouts.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN", converter = Converters.RunNumber.class)
        long runId;

        @Option(names = "--format", defaultValue = "csv", converter = Converters.ExportFormatName.class,
                completionCandidates = Converters.ExportFormatNames.class,
                description = "csv (one row per scenario and thread), json (everything), hlog (one histogram per scenario thread), "
                        + "buckets (one row per scenario, thread and bucket), cyclictest-hist (cyclictest -h text per scenario), "
                        + "cyclictest-json (one scenario as cyclictest --json). Default: ${DEFAULT-VALUE}.")
        ExportFormat format;

        @Option(names = "--scenario", paramLabel = "N", description = "Only scenario N (1-based, as runs show numbers them).")
        Integer scenario;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
        Path output;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() throws Exception {
            String text;
            try (ResultStore s = store.open()) {
                RunRecord r = s.run(runId);
                List<ScenarioRecord> all = s.scenarios(runId);
                List<ScenarioRecord> chosen = scenario == null ? all : all.stream().filter(sc -> sc.index() + 1 == scenario).toList();
                if (chosen.isEmpty() && scenario != null) {
                    throw new VmlatException(ExitCodes.USAGE, "--scenario " + scenario + ": run " + runId + " has scenarios 1.." + all.size());
                }
                try {
                    text = format.write(r, chosen, sc -> s.threadResults(sc.id()));
                } catch (IllegalArgumentException e) {
                    throw new VmlatException(ExitCodes.USAGE, "--format " + format.name() + ": " + e.getMessage());
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            if (output != null) {
                Files.writeString(output, text);
                out.println("Written to " + output);
            } else {
                out.print(text);
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
