package org.vmlat.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.vmlat.report.DesignReport;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.TaskSet;
import org.vmlat.sched.server.HostAdmission;
import org.vmlat.sched.server.Reservation;
import org.vmlat.sched.server.ReservationDesign;
import org.vmlat.sched.server.ReservationDesign.SweepPoint;
import org.vmlat.taskset.TaskSetFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "design", mixinStandardHelpOptions = true,
        header = "The smallest CPU reservation (budget every period) each VM needs to meet its tasks' deadlines.",
        description = {"Periodic resource model (prm, Shin & Lee) or explicit-deadline periodic model (edp, Easwaran et al.),",
            "exact supply bound function, minimum budget to the nanosecond. Emits SCHED_DEADLINE and libvirt settings.",
            "Tasks naming a `vm` are grouped into one reservation per VM; [[vm]] tables may set each VM's period."},
        footer = "%nExit codes: 0 every VM fits and the host admits them, 3 a VM cannot be served or the host is over its limit, 1 error, 2 usage.")
public final class DesignCommand implements Callable<Integer> {
    /** prm: the server's deadline is its period; edp: an explicit deadline within the period. */
    enum Model { PRM, EDP }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASKS", description = "Task-set file (TOML).")
    Path file;

    @Option(names = "--scheduler", defaultValue = "fp", description = "Scheduler inside the VM: fp or edf. Default: ${DEFAULT-VALUE}.")
    Scheduler scheduler;

    @Option(names = "--period", paramLabel = "P", description = "Server period, e.g. 10ms (a bare number is us).")
    String period;

    @Option(names = "--model", defaultValue = "prm", description = "prm (deadline = period) or edp (with --deadline). Default: ${DEFAULT-VALUE}.")
    Model model;

    @Option(names = "--deadline", paramLabel = "D", description = "Server deadline for the edp model (<= period).")
    String deadline;

    @Option(names = "--sweep", paramLabel = "FROM..TO", description = "Try every period FROM..TO (e.g. 1ms..20ms) and mark the lowest bandwidth.")
    String sweep;

    @Option(names = "--step", defaultValue = "1ms", description = "Step of --sweep. Default: ${DEFAULT-VALUE}.")
    String step;

    @Option(names = "--overhead", defaultValue = "0", description = "Cost added to the budget once per period (context switches), e.g. 20us.")
    String overhead;

    @Option(names = "--cpus", defaultValue = "1", description = "Host CPUs the reservations share, for the admission check. Default: ${DEFAULT-VALUE}.")
    int cpus;

    @Option(names = "--rt-limit", defaultValue = "0.95", description = "Fraction of each CPU real-time tasks may use (sched_rt_runtime_us / sched_rt_period_us). Default: ${DEFAULT-VALUE}.")
    double rtLimit;

    @Mixin
    LatencyOptions latency;

    @Option(names = "--json", description = "Print the design as JSON (durations in integer ns).")
    boolean json;

    @Option(names = "--apply", paramLabel = "TARGET", description = {"Write the designed reservation (SCHED_DEADLINE) to the vCPU threads of a running QEMU",
        "on this machine: its pid, its guest name (-name) or a vmlat target name. Kept until --undo."})
    String apply;

    @Option(names = "--vm", paramLabel = "NAME", description = "The VM whose reservation --apply writes (when the file has several).")
    String vm;

    @Option(names = "--undo", paramLabel = "TARGET", description = "Take off what --apply wrote to that QEMU (TASKS is not read then).")
    String undo;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (undo != null) {
            if (apply != null) throw usage("--apply and --undo exclude each other");
            DesignApply.undo(out, undo);
            return ExitCodes.OK;
        }
        boolean edp = model == Model.EDP;
        if (edp && deadline == null) throw usage("--model edp needs --deadline");
        if (!edp && deadline != null) throw usage("--deadline applies to --model edp only");
        if (period == null && sweep == null) throw usage("give --period P or --sweep FROM..TO");
        if (cpus < 1) throw usage("--cpus: must be >= 1, got " + cpus);
        if (rtLimit <= 0 || rtLimit > 1) throw usage("--rt-limit: expected 0 < limit <= 1, got " + rtLimit);
        LatencyModel lm = latency.model();
        LatencyOptions.Bound bound = latency.bound();
        long overheadNs = Converters.micros("--overhead", overhead);
        TaskSetFile.Contents contents = TaskSetFile.read(file);
        Map<String, TaskSet> vms = contents.byVm();
        DesignReport.Setup setup = new DesignReport.Setup(file.toString(), edp, scheduler, bound.ns(), bound.origin(), lm, overheadNs);

        if (sweep != null) {
            if (edp) throw usage("--sweep works with --model prm (the EDP deadline is tied to one period)");
            String[] r = sweep.split("\\.\\.");
            if (r.length != 2) throw usage("--sweep: expected FROM..TO, e.g. 1ms..20ms, got \"" + sweep + "\"");
            long from = Converters.micros("--sweep", r[0]), to = Converters.micros("--sweep", r[1]), st = Converters.micros("--step", step);
            if (from <= 0 || to < from || st <= 0) throw usage("--sweep: need 0 < FROM <= TO and a positive --step");
            if ((to - from) / st > 10_000) throw usage("--sweep: more than 10000 periods; use a larger --step");
            Map<String, List<SweepPoint>> points = new LinkedHashMap<>();
            Map<String, SweepPoint> best = new LinkedHashMap<>();
            for (var e : vms.entrySet()) {
                List<SweepPoint> p = analysis(() -> ReservationDesign.sweep(e.getValue(), scheduler, from, to, st, bound.ns(), lm, overheadNs));
                points.put(e.getKey(), p);
                best.put(e.getKey(), ReservationDesign.best(p));
            }
            out.print(DesignReport.sweep(setup, points, best));
            out.flush();
            return ExitCodes.OK;
        }
        long p = Converters.micros("--period", period);
        long d = edp ? Converters.micros("--deadline", deadline) : p;
        if (p <= 0) throw usage("--period: must be greater than 0");
        if (d <= 0 || d > p) throw usage("--deadline: must be within 0..period");
        List<Reservation> reservations = new ArrayList<>();
        List<HostAdmission.Unserved> unserved = new ArrayList<>();
        for (var e : vms.entrySet()) {
            // a [[vm]] table's period (and deadline) replaces the command line's for that VM
            TaskSetFile.VmSettings vs = contents.vms().get(e.getKey());
            long vp = vs != null && vs.periodNs() > 0 ? vs.periodNs() : p;
            long vd = vs != null && vs.deadlineNs() > 0 ? vs.deadlineNs() : (vs != null && vs.periodNs() > 0 ? vp : d);
            ReservationDesign.Design res = analysis(() -> ReservationDesign.design(e.getKey(), e.getValue(), scheduler, vp, vd, bound.ns(), lm, overheadNs));
            if (res.reservation().isPresent()) reservations.add(res.reservation().get());
            else unserved.add(new HostAdmission.Unserved(e.getKey(), res.reason()));
        }
        HostAdmission host = new HostAdmission(reservations, unserved, cpus, rtLimit);
        out.print(json ? DesignReport.json(setup, host) : DesignReport.text(setup, host));
        out.flush();
        if (apply != null) DesignApply.apply(out, file, DesignApply.pick(reservations, vm), apply);
        return host.admitted() ? ExitCodes.OK : ExitCodes.THRESHOLD;
    }

    /** The analyses reject impossible inputs (a deadline beyond the period) with IllegalArgumentException: a usage error here. */
    private static <T> T analysis(Supplier<T> a) {
        try {
            return a.get();
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        } catch (ArithmeticException e) {
            throw usage("durations too large to analyse exactly (" + e.getMessage() + ")");
        }
    }

    private static VmlatException usage(String message) {
        return new VmlatException(ExitCodes.USAGE, message);
    }
}
