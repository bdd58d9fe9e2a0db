package org.vmlat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.report.Micros;
import org.vmlat.report.ScenarioHistograms;
import org.vmlat.report.ScheduleChart;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sim.LatencySource;
import org.vmlat.sim.Segment;
import org.vmlat.sim.ServerSupply;
import org.vmlat.sim.Simulation;
import org.vmlat.sim.SimulationResult;
import org.vmlat.sim.TaskOutcome;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.taskset.TaskSetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        header = "Simulate a task set with each job's release delayed by a drawn latency.",
        description = {"Discrete-event simulation on one processor (fixed priority or EDF, optionally inside a periodic server):",
            "per task the observed response times and deadline misses next to the fixed-priority bound at the largest",
            "latency drawn, and the theoretical against the actual schedule around the first miss. See docs/analysis.md."},
        footer = "%nExit codes: 0 no deadline missed, 3 a deadline missed, 1 error, 2 usage.")
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASKS", description = "Task-set file (TOML).")
    Path file;

    @Option(names = "--scheduler", defaultValue = "fp", description = "fp (fixed priority) or edf. Default: ${DEFAULT-VALUE}.")
    Scheduler scheduler;

    @Option(names = "--latency", paramLabel = "L", description = "Delay every release by L, e.g. 100us (a bare number is us).")
    String latency;

    @Option(names = "--latency-from", paramLabel = "RUN[:SCENARIO]",
            description = "Draw each release's delay from a stored run's measured distribution (all its finished scenarios, or one).")
    String latencyFrom;

    @Option(names = "--store", paramLabel = "FILE",
            description = "Results store for --latency-from. " + StoreOption.DEFAULT_DESCRIPTION)
    String store;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "T", description = "Simulated time. Default: ${DEFAULT-VALUE}.")
    String duration;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the latency draws. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--server", paramLabel = "BUDGET/PERIOD", description = "Run the set inside a periodic server, e.g. 2ms/5ms.")
    String server;

    @Option(names = "--svg", paramLabel = "FILE", description = "Write the theoretical and the actual schedule as SVG.")
    Path svg;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        TaskSetFile.Contents contents = TaskSetFile.read(file);
        long durationNs = Converters.micros("--duration", duration);
        if (durationNs <= 0) throw new VmlatException(ExitCodes.USAGE, "--duration: must be > 0");
        Simulation.Setup setup = new Simulation.Setup(contents.taskSet(), scheduler, serverSupply(), durationNs, seed);
        Source source = source();
        SimulationResult r = Simulation.run(setup, source.latency());
        out.printf("simulated %s us of %s under %s%s, latency %s, seed %d%n", Micros.of(durationNs), file,
                scheduler, server == null ? "" : " in a server " + server, source.origin(), seed);
        out.printf("largest latency drawn (L^max): %s us; bounds: %s%n", Micros.of(r.maxDrawnNs()),
                scheduler == Scheduler.FP && server == null ? "fixed-priority response-time analysis, L^max as release jitter"
                        : "none (the simulation gives no guarantee)");
        out.printf("%-16s %8s %7s %9s %10s %10s %10s %10s  %s%n", "task", "jobs", "misses", "ratio", "p50 us", "p99 us", "max us", "bound us", "");
        for (TaskOutcome t : r.tasks()) {
            boolean any = t.responseNs().getTotalCount() > 0;
            out.printf("%-16s %8d %7d %9.2e %10s %10s %10s %10s  %s%n", t.name(), t.jobs(), t.misses(), t.missRatio(),
                    any ? Micros.of(t.responseNs().getValueAtPercentile(50)) : "-", any ? Micros.of(t.responseNs().getValueAtPercentile(99)) : "-",
                    Micros.of(t.maxResponseNs()), Micros.of(t.boundNs()),
                    t.boundNs() >= 0 && t.maxResponseNs() > t.boundNs() ? "ABOVE THE BOUND" : "");
        }
        r.firstMiss().ifPresentOrElse(m -> out.printf("first deadline miss: %s job %d (released %s us, due %s us)%n",
                m.task(), m.job(), Micros.of(m.releaseNs()), Micros.of(m.deadlineNs())), () -> out.println("no deadline missed"));
        if (svg != null) {
            List<String> names = new ArrayList<>();
            for (Task t : setup.set().tasks()) names.add(t.name());
            String chart = ScheduleChart.svg(names, List.of(new ScheduleChart.Schedule("theoretical (no latency)", bars(r.theoretical())),
                    new ScheduleChart.Schedule("actual (latency " + source.origin() + ")", bars(r.actual()))),
                    r.windowStartNs(), Math.max(r.windowEndNs(), r.windowStartNs() + 1), r.firstMiss().map(SimulationResult.Miss::deadlineNs).orElse(-1L));
            try {
                Files.writeString(svg, chart + "\n");
            } catch (IOException e) {
                throw new VmlatException(ExitCodes.ERROR, svg + ": " + e.getMessage());
            }
            out.println("schedule: " + svg);
        }
        out.flush();
        return r.misses() == 0 ? ExitCodes.OK : ExitCodes.THRESHOLD;
    }

    private record Source(LatencySource latency, String origin) {}

    private Source source() {
        if (latency != null && latencyFrom != null) throw new VmlatException(ExitCodes.USAGE, "--latency and --latency-from exclude each other");
        if (latency != null) return new Source(LatencySource.fixed(Converters.micros("--latency", latency)), latency + " fixed");
        if (latencyFrom == null) return new Source(LatencySource.fixed(0), "none");
        String[] parts = latencyFrom.split(":");
        long run;
        int scenario;
        try {
            run = Long.parseLong(parts[0]);
            scenario = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            throw new VmlatException(ExitCodes.USAGE, "--latency-from: RUN or RUN:SCENARIO, got " + latencyFrom);
        }
        if (parts.length > 2) throw new VmlatException(ExitCodes.USAGE, "--latency-from: RUN or RUN:SCENARIO, got " + latencyFrom);
        StoreOption so = new StoreOption();
        so.store = store;
        try (ResultStore rs = so.open()) {
            AbstractHistogram all = LatencyHistograms.create();
            for (ScenarioRecord sc : rs.scenarios(run)) {
                if (scenario >= 0 && sc.index() + 1 != scenario) continue;
                if (sc.status() == ScenarioStatus.DONE) all.add(ScenarioHistograms.merged(rs, sc));
            }
            if (all.getTotalCount() == 0) {
                throw new VmlatException(ExitCodes.ERROR, "run " + run + (scenario >= 0 ? " scenario " + scenario : "")
                        + ": no finished scenario with samples (vmlat runs show " + run + ")");
            }
            return new Source(LatencySource.resampled(all), "drawn from run " + latencyFrom);
        }
    }

    private Optional<ServerSupply> serverSupply() {
        if (server == null) return Optional.empty();
        String[] p = server.split("/");
        if (p.length != 2) throw new VmlatException(ExitCodes.USAGE, "--server: BUDGET/PERIOD, e.g. 2ms/5ms, got " + server);
        try {
            return Optional.of(new ServerSupply(Converters.micros("--server", p[0]), Converters.micros("--server", p[1])));
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, "--server: " + e.getMessage());
        }
    }

    private static List<ScheduleChart.Bar> bars(List<Segment> segments) {
        List<ScheduleChart.Bar> out = new ArrayList<>();
        for (Segment s : segments) out.add(new ScheduleChart.Bar(s.task(), s.job(), s.startNs(), s.endNs()));
        return out;
    }
}
