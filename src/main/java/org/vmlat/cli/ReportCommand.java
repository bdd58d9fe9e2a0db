package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vmlat.report.StressComparison;
import org.vmlat.report.WorstCaseTable;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "report", mixinStandardHelpOptions = true,
        header = "The worst-case table of a run, pivoted by any plan dimensions, and stress vs no stress.",
        description = {"Rows and columns name plan dimensions (target, probe, interval, load, priority, repetition),",
            "e.g. --rows probe,interval --cols target,load as in the reference study's tables."},
        footer = ExitCodes.FOOTER)
public final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN")
    long runId;

    @Option(names = "--rows", defaultValue = "probe,interval", split = ",", description = "Dimensions for rows. Default: ${DEFAULT-VALUE}.")
    List<String> rows;

    @Option(names = "--cols", defaultValue = "target,load", split = ",", description = "Dimensions for columns. Default: ${DEFAULT-VALUE}.")
    List<String> cols;

    @Option(names = "--metric", defaultValue = "max", description = "max, p99, p99.9, p99.99 or mean. Default: ${DEFAULT-VALUE}.")
    String metric;

    @Option(names = "--format", defaultValue = "text", description = "text, csv or markdown. Default: ${DEFAULT-VALUE}.")
    String format;

    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        WorstCaseTable.Metric m;
        WorstCaseTable.Format f;
        try {
            m = WorstCaseTable.Metric.parse(metric);
            f = WorstCaseTable.Format.valueOf(format.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, "--metric/--format: " + (e.getMessage().startsWith("unknown metric") ? e.getMessage()
                    : "expected text, csv or markdown, got \"" + format + "\""));
        }
        try (ResultStore s = store.open()) {
            RunRecord run = s.run(runId);
            List<ScenarioRecord> all = s.scenarios(runId);
            WorstCaseTable.Pivot p;
            try {
                p = WorstCaseTable.pivot(all, rows, cols, m);
            } catch (IllegalArgumentException e) {
                throw new VmlatException(ExitCodes.USAGE, "--rows/--cols: " + e.getMessage());
            }
            if (f == WorstCaseTable.Format.TEXT) {
                out.printf("# run %d (%s): %s latency in us, %s %s, %d scenarios%s%n", run.id(), run.name(), m.label,
                        run.system().getOrDefault("kernel.release", "?"), run.system().getOrDefault("kernel.preemption", ""), all.size(),
                        run.status().equals("done") ? "" : " [run " + run.status() + "]");
            }
            out.print(WorstCaseTable.render(p, f));
            if (f == WorstCaseTable.Format.TEXT) {
                List<StressComparison.Row> cmp = StressComparison.rows(all, m);
                if (!cmp.isEmpty()) {
                    out.println();
                    out.println("Stress vs no stress (" + m.label + "):");
                    out.print(StressComparison.render(cmp, m));
                }
                if (all.stream().anyMatch(x -> !x.realtime() && !x.threads().isEmpty())) out.println("NON-RT: some scenarios ran without real-time scheduling.");
                String emulated = emulatedTargets(all);
                if (!emulated.isEmpty()) {
                    out.println("EMULATED: " + emulated + " ran under QEMU full emulation (TCG): those figures measure emulation, not KVM,"
                            + " and are not comparable with hardware virtualization.");
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    static String emulatedTargets(List<ScenarioRecord> all) {
        java.util.Set<String> t = new java.util.TreeSet<>();
        for (ScenarioRecord s : all) if ("tcg".equals(s.settings().get("qemu.accel"))) t.add(s.dims().getOrDefault("target", "?"));
        return String.join(", ", t);
    }

    static List<String> split(String s) {
        return Arrays.asList(s.split(","));
    }
}
