package org.vmlat.cli;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vmlat.latency.Durations;
import org.vmlat.report.AcceptanceChart;
import org.vmlat.report.Table;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.gen.AcceptanceSweep;
import org.vmlat.sched.gen.TaskSetGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "accept", mixinStandardHelpOptions = true,
        header = "Acceptance ratio of random task sets against utilisation and latency.",
        description = {"UUniFast-Discard utilisations, log-uniform periods, deadline-monotonic priorities; every task set",
            "is tested at every latency of the grid with the exact test. Reproducible from --seed; uses all cores."},
        footer = ExitCodes.FOOTER)
public final class AcceptCommand implements Callable<Integer> {
    /** Bounds that keep a sweep within memory and a working day, each named in its error. */
    static final int MAX_SETS = 100_000, MAX_POINTS = 1000;
    static final long MAX_ANALYSES = 100_000_000L;

    @Spec
    CommandSpec spec;

    @Option(names = "--tasks", defaultValue = "10", description = "Tasks per set. Default: ${DEFAULT-VALUE}.")
    int tasks;

    @Option(names = "--util", defaultValue = "0.1..0.95", description = "Utilisation range FROM..TO. Default: ${DEFAULT-VALUE}.")
    String util;

    @Option(names = "--step", defaultValue = "0.05", description = "Utilisation step. Default: ${DEFAULT-VALUE}.")
    double step;

    @Option(names = "--latency", defaultValue = "0..500us", description = "Latency range FROM..TO (bare numbers are us). Default: ${DEFAULT-VALUE}.")
    String latency;

    @Option(names = "--latency-step", description = "Latency step (default: a tenth of the range).")
    String latencyStep;

    @Option(names = "--latency-model", defaultValue = "jitter", description = "jitter, deadline, supply or late_budget. Default: ${DEFAULT-VALUE}.")
    LatencyModel model;

    @Option(names = "--sets", defaultValue = "1000", description = "Task sets per utilisation point. Default: ${DEFAULT-VALUE}.")
    int sets;

    @Option(names = "--scheduler", defaultValue = "fp", description = "fp or edf. Default: ${DEFAULT-VALUE}.")
    Scheduler scheduler;

    @Option(names = "--periods", defaultValue = "1ms..1000ms", description = "Log-uniform period range. Default: ${DEFAULT-VALUE}.")
    String periods;

    @Option(names = "--deadlines", defaultValue = "implicit", description = "implicit or constrained (uniform in [C, T]). Default: ${DEFAULT-VALUE}.")
    TaskSetGenerator.Deadlines deadlines;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the points as CSV.")
    Path csv;

    @Option(names = "--png", paramLabel = "FILE", description = "Write the chart as PNG.")
    Path png;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Scheduler s = scheduler;
        LatencyModel lm = model;
        if (tasks < 1 || tasks > 1000) throw new VmlatException(ExitCodes.USAGE, "--tasks: expected 1..1000, got " + tasks);
        if (sets < 1 || sets > MAX_SETS) throw new VmlatException(ExitCodes.USAGE, "--sets: expected 1.." + MAX_SETS + ", got " + sets);
        String[] u = range("--util", util);
        double uFrom = number("--util", u[0]), uTo = number("--util", u[1]);
        if (uFrom <= 0 || uTo > 1 || uTo < uFrom || step <= 0) throw new VmlatException(ExitCodes.USAGE, "--util/--step: need 0 < FROM <= TO <= 1 and step > 0");
        if ((uTo - uFrom) / step + 1 > MAX_POINTS) {
            throw new VmlatException(ExitCodes.USAGE, "--step: " + step + " makes more than " + MAX_POINTS + " utilisation points; take a step of at least "
                    + (uTo - uFrom) / (MAX_POINTS - 1));
        }
        List<Double> us = new ArrayList<>();
        for (int k = 0; uFrom + k * step <= uTo + 1e-9; k++) us.add(Math.round((uFrom + k * step) * 1e6) / 1e6);
        String[] l = range("--latency", latency);
        long lFrom = Converters.micros("--latency", l[0]), lTo = Converters.micros("--latency", l[1]);
        if (lTo < lFrom) throw new VmlatException(ExitCodes.USAGE, "--latency: TO must be >= FROM");
        long lStep = latencyStep != null ? Converters.micros("--latency-step", latencyStep) : Math.max(1, (lTo - lFrom) / 10);
        if (lStep <= 0) throw new VmlatException(ExitCodes.USAGE, "--latency-step: must be > 0");
        if ((lTo - lFrom) / lStep + 1 > MAX_POINTS) {
            throw new VmlatException(ExitCodes.USAGE, "--latency-step: " + latencyStep + " makes more than " + MAX_POINTS + " latency points; take a step of at least "
                    + Durations.format(Math.max(1, (lTo - lFrom) / (MAX_POINTS - 1))));
        }
        long analyses = (long) sets * (long) ((uTo - uFrom) / step + 1) * ((lTo - lFrom) / lStep + 1);
        if (analyses > MAX_ANALYSES) {
            throw new VmlatException(ExitCodes.USAGE, "--sets/--step/--latency-step: more than " + MAX_ANALYSES + " analyses; use fewer sets or coarser steps");
        }
        List<Long> ls = new ArrayList<>();
        for (long x = lFrom; x <= lTo; x += lStep) ls.add(x);
        String[] p = range("--periods", periods);
        long pFrom = Converters.micros("--periods", p[0]), pTo = Converters.micros("--periods", p[1]);
        TaskSetGenerator.Deadlines dl = deadlines;
        TaskSetGenerator gen;
        try {
            gen = new TaskSetGenerator(tasks, pFrom, pTo, dl);
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, "--periods: " + e.getMessage());
        }
        long t0 = System.nanoTime();
        List<AcceptanceSweep.Point> points = AcceptanceSweep.run(gen, us.stream().mapToDouble(Double::doubleValue).toArray(),
                ls.stream().mapToLong(Long::longValue).toArray(), sets, s, lm, seed);
        double secs = (System.nanoTime() - t0) / 1e9;
        out.printf(Locale.ROOT, "# vmlat accept: %d tasks, %d sets per point, %s, latency as %s, periods %s..%s log-uniform, %s deadlines, seed %d%n",
                tasks, sets, s == Scheduler.FP ? "fixed priority (DM)" : "EDF", lm.name().toLowerCase(Locale.ROOT),
                Durations.format(pFrom), Durations.format(pTo), dl.name().toLowerCase(Locale.ROOT), seed);
        List<String> header = new ArrayList<>(List.of("U \\ L"));
        for (long x : ls) header.add(Durations.format(x));
        List<List<String>> rows = new ArrayList<>();
        for (int j = 0; j < us.size(); j++) {
            List<String> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%.2f", us.get(j))));
            for (int k = 0; k < ls.size(); k++) row.add(String.format(Locale.ROOT, "%.3f", points.get(j * ls.size() + k).ratio()));
            rows.add(row);
        }
        out.print(Table.render(header, rows));
        out.printf(Locale.ROOT, "%d task sets, %d analyses at most, in %.2f s%n", (long) us.size() * sets, (long) us.size() * sets * ls.size(), secs);
        if (csv != null) {
            Files.writeString(csv, AcceptanceChart.csv(points));
            out.println("CSV written to " + csv);
        }
        if (png != null) {
            try (OutputStream o = Files.newOutputStream(png)) {
                AcceptanceChart.png(points, String.format(Locale.ROOT, "%s, %d tasks, latency as %s", s == Scheduler.FP ? "Fixed priority" : "EDF",
                        tasks, lm.name().toLowerCase(Locale.ROOT)), o);
            }
            out.println("Chart written to " + png);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String[] range(String option, String v) {
        String[] r = v.split("\\.\\.");
        if (r.length != 2) throw new VmlatException(ExitCodes.USAGE, option + ": expected FROM..TO, got \"" + v + "\"");
        return r;
    }

    private static double number(String option, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new VmlatException(ExitCodes.USAGE, option + ": \"" + v + "\" is not a number");
        }
    }
}
