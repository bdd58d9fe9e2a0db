package org.vmlat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.HdrHistogram.HistogramLogWriter;
import org.vmlat.latency.Percentiles;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.report.Micros;
import org.vmlat.report.Table;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runs", mixinStandardHelpOptions = true, header = "List, show and export stored runs.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Export.class})
public final class RunsCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, header = "The runs in the store.")
    static final class ListRuns implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ResultStore s = store.open()) {
                List<List<String>> rows = new ArrayList<>();
                for (RunRecord r : s.runs()) {
                    rows.add(List.of(Long.toString(r.id()), r.name() == null ? "" : r.name(), Instant.ofEpochMilli(r.startedMs()).toString(),
                            r.status().storedName(), r.done() + "/" + r.scenarios(), Integer.toString(r.failed())));
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
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Mixin
        StoreOption store;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (ResultStore s = store.open()) {
                RunRecord r = s.run(runId);
                out.printf("# run %d: %s, plan %s, %s, started %s%s%n", r.id(), r.name(), r.planFile(), r.status().storedName(),
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
                    row.add(sc.status().storedName() + (sc.realtime() || sc.threads().isEmpty() ? "" : " NON-RT"));
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
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "RUN")
        long runId;

        @Option(names = "--format", defaultValue = "csv", description = "csv (one row per scenario and thread), json (everything), hlog (one histogram per scenario thread). Default: ${DEFAULT-VALUE}.")
        String format;

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
                text = switch (format) {
                    case "csv" -> csv(all);
                    case "json" -> json(r, all, s);
                    case "hlog" -> hlog(all, s);
                    default -> throw new VmlatException(ExitCodes.USAGE, "--format: expected csv, json or hlog, got \"" + format + "\"");
                };
            }
            if (output != null) {
                Files.writeString(output, text);
                spec.commandLine().getOut().println("Written to " + output);
            } else {
                spec.commandLine().getOut().print(text);
            }
            spec.commandLine().getOut().flush();
            return ExitCodes.OK;
        }

        static String csv(List<ScenarioRecord> all) {
            StringBuilder sb = new StringBuilder();
            List<String> dims = all.isEmpty() ? List.of() : new ArrayList<>(all.get(0).dims().keySet());
            sb.append("scenario,").append(String.join(",", dims)).append(",status,thread,cpu,interval_ns,count,overruns,min_ns");
            for (double p : Percentiles.STANDARD) sb.append(',').append(Percentiles.label(p).replace('.', '_')).append("_ns");
            sb.append(",max_ns,mean_ns,realtime\n");
            for (ScenarioRecord s : all) {
                for (ThreadSummary t : s.threads()) {
                    sb.append(s.index() + 1);
                    for (String d : dims) sb.append(',').append(s.dims().get(d));
                    sb.append(',').append(s.status().storedName()).append(',').append(t.thread()).append(',').append(t.cpu()).append(',').append(t.intervalNs())
                            .append(',').append(t.count()).append(',').append(t.overruns()).append(',').append(t.minNs());
                    for (double p : Percentiles.STANDARD) sb.append(',').append(t.percentileNs(p));
                    sb.append(',').append(t.maxNs()).append(',').append(t.count() == 0 ? "" : Long.toString(Math.round(t.meanNs())))
                            .append(',').append(s.realtime()).append('\n');
                }
            }
            return sb.toString();
        }

        static String json(RunRecord r, List<ScenarioRecord> all, ResultStore store) throws Exception {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("format", "vmlat-run");
            m.put("version", 1);
            m.put("run", r.id());
            m.put("name", r.name());
            m.put("plan_file", r.planFile());
            m.put("plan", r.planText());
            m.put("status", r.status().storedName());
            m.put("started", Instant.ofEpochMilli(r.startedMs()).toString());
            m.put("ended", r.endedMs() > 0 ? Instant.ofEpochMilli(r.endedMs()).toString() : null);
            m.put("system", r.system());
            m.put("tools", r.tools());
            List<Object> sc = new ArrayList<>();
            for (ScenarioRecord s : all) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("scenario", s.index() + 1);
                x.put("dims", s.dims());
                x.put("status", s.status().storedName());
                x.put("reason", s.reason());
                x.put("realtime", s.realtime());
                x.put("probe_command", s.probeCommand());
                x.put("load_command", s.loadCommands());
                x.put("settings", s.settings());
                x.put("warnings", s.warnings());
                List<Object> threads = new ArrayList<>();
                for (ThreadResult t : store.threadResults(s.id())) {
                    Map<String, Object> tm = new LinkedHashMap<>();
                    tm.put("thread", t.thread());
                    tm.put("cpu", t.cpu());
                    tm.put("interval_ns", t.intervalNs());
                    tm.put("count", t.count());
                    tm.put("overruns", t.overruns());
                    tm.put("min_ns", t.minNs());
                    for (double p : Percentiles.STANDARD) tm.put(Percentiles.label(p).replace('.', '_') + "_ns", t.percentileNs(p));
                    tm.put("max_ns", t.maxNs());
                    tm.put("mean_ns", t.count() == 0 ? null : Math.round(t.meanNs()));
                    tm.put("histogram_hdr", java.util.Base64.getEncoder().encodeToString(org.vmlat.latency.LatencyHistograms.encode(t.histogram())));
                    threads.add(tm);
                }
                x.put("threads", threads);
                sc.add(x);
            }
            m.put("scenarios", sc);
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m) + "\n";
        }

        static String hlog(List<ScenarioRecord> all, ResultStore store) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            PrintStream ps = new PrintStream(bytes, true, java.nio.charset.StandardCharsets.US_ASCII);
            HistogramLogWriter w = new HistogramLogWriter(ps);
            w.outputComment("vmlat run export: one interval histogram per scenario thread, tag S<scenario>T<thread>, values in ns");
            w.outputLogFormatVersion();
            long base = all.stream().mapToLong(ScenarioRecord::startedMs).filter(x -> x > 0).min().orElse(0);
            w.setBaseTime(base);
            w.outputStartTime(base);
            w.outputLegend();
            for (ScenarioRecord s : all) {
                for (ThreadResult t : store.threadResults(s.id())) {
                    org.HdrHistogram.AbstractHistogram h = t.histogram().copy();
                    h.setStartTimeStamp(Math.max(base, s.startedMs()));
                    h.setEndTimeStamp(Math.max(base, s.endedMs() > 0 ? s.endedMs() : s.startedMs()));
                    h.setTag(String.format(Locale.ROOT, "S%dT%d", s.index() + 1, t.thread()));
                    w.outputIntervalHistogram(h);
                }
            }
            ps.flush();
            return bytes.toString(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
