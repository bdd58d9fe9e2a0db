package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.report.ExportFormat;
import org.vmlat.report.Micros;
import org.vmlat.report.Table;
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
            try (ResultStore s = store.open()) {
                List<List<String>> rows = new ArrayList<>();
                for (RunRecord r : s.runs()) {
                    rows.add(List.of(Long.toString(r.id()), r.name() == null ? "" : r.name(), Instant.ofEpochMilli(r.startedMs()).toString(),
                            r.status(), r.done() + "/" + r.scenarios(), Integer.toString(r.failed())));
                }
                out.print(Table.render(List.of("run", "name", "started", "status", "done", "failed"), rows));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, header = "A run's scenarios, settings and results.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ResultStore s = store.open()) {
                RunRecord r = s.run(runId);
                out.printf("# run %d: %s, plan %s, %s, started %s%s%n", r.id(), r.name(), r.planFile(), r.status(),
                        Instant.ofEpochMilli(r.startedMs()), r.endedMs() > 0 ? ", ended " + Instant.ofEpochMilli(r.endedMs()) : "");
                out.printf("# system: %s %s, clocksource %s, virtualization %s%n", r.system().getOrDefault("kernel.release", "?"),
                        r.system().getOrDefault("kernel.preemption", "?"), r.system().getOrDefault("clocksource", "?"),
                        r.system().getOrDefault("virtualization", "?"));
                r.tools().forEach((k, v) -> out.printf("# %s: %s%n", k, v));
                List<String> header = new ArrayList<>(List.of("#"));
                List<ScenarioRecord> all = s.scenarios(runId);
                if (!all.isEmpty()) header.addAll(all.get(0).dims().keySet());
                header.addAll(List.of("status", "count", "missed", "min", "p99", "max", "mean"));
                List<List<String>> rows = new ArrayList<>();
                for (ScenarioRecord sc : all) {
                    List<String> row = new ArrayList<>();
                    row.add(Integer.toString(sc.index() + 1));
                    row.addAll(sc.dims().values());
                    row.add(sc.status() + (sc.realtime() || sc.threads().isEmpty() ? "" : " NON-RT"));
                    long count = sc.count(), min = Long.MAX_VALUE, p99 = -1, max = -1;
                    double sum = 0;
                    for (ThreadSummary t : sc.threads()) {
                        if (t.count() == 0) continue;
                        min = Math.min(min, t.minNs());
                        p99 = Math.max(p99, t.percentileNs(99));
                        max = Math.max(max, t.maxNs());
                        sum += t.sumNs();
                    }
                    row.add(Long.toString(count));
                    row.add(sc.threads().stream().anyMatch(t -> t.overruns() < 0) ? "?" : Long.toString(sc.overruns()));
                    row.add(count == 0 ? "-" : Micros.of(min));
                    row.add(Micros.of(p99));
                    row.add(Micros.of(max));
                    row.add(count == 0 ? "-" : Micros.of(sum / count));
                    rows.add(row);
                }
                out.print(Table.render(header, rows));
                for (ScenarioRecord sc : all) {
                    if (sc.reason() != null) out.printf("scenario %d: %s%n", sc.index() + 1, sc.reason());
                    for (String w : sc.warnings()) out.printf("scenario %d: warning: %s%n", sc.index() + 1, w);
                }
                out.println("Latencies in us. Probe and load command lines: vmlat runs export " + runId + " --format json");
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, header = "Export a run as CSV, JSON or HdrHistogram logs.")
    static final class Export implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Option(names = "--format", defaultValue = "csv", converter = Converters.ExportFormatName.class,
                completionCandidates = Converters.ExportFormatNames.class,
                description = "csv (one row per scenario and thread), json (everything), hlog (one histogram per scenario thread). Default: ${DEFAULT-VALUE}.")
        ExportFormat format;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of standard output.")
        Path output;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() throws Exception {
            String text;
            try (ResultStore s = store.open()) {
                RunRecord r = s.run(runId);
                text = format.write(r, s.scenarios(runId), sc -> s.threadResults(sc.id()));
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
