package org.vmlat.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vmlat.latency.Durations;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.TaskSet;
import org.vmlat.taskset.TaskSetFile;
import org.vmlat.sched.server.ServerAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TASKS", description = "Task-set file (TOML).")
    Path file;

    @Option(names = "--scheduler", defaultValue = "fp", description = "Scheduler inside the VM: fp or edf. Default: ${DEFAULT-VALUE}.")
    String scheduler;

    @Option(names = "--period", paramLabel = "P", description = "Server period, e.g. 10ms (a bare number is us).")
    String period;

    @Option(names = "--model", defaultValue = "prm", description = "prm (deadline = period) or edp (with --deadline). Default: ${DEFAULT-VALUE}.")
    String model;

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

    record Design(String vm, long periodNs, long deadlineNs, long budgetNs, double bandwidth) {}

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Scheduler s = AnalyzeCommand.scheduler(scheduler);
        LatencyModel lm = latency.model();
        LatencyOptions.Bound bound = latency.bound();
        boolean edp = switch (model.toLowerCase(Locale.ROOT)) {
            case "prm" -> false;
            case "edp" -> true;
            default -> throw new VmlatException(ExitCodes.USAGE, "--model: expected prm or edp, got \"" + model + "\"");
        };
        if (edp && deadline == null) throw new VmlatException(ExitCodes.USAGE, "--model edp needs --deadline");
        if (!edp && deadline != null) throw new VmlatException(ExitCodes.USAGE, "--deadline applies to --model edp only");
        if (period == null && sweep == null) throw new VmlatException(ExitCodes.USAGE, "give --period P or --sweep FROM..TO");
        if (cpus < 1) throw new VmlatException(ExitCodes.USAGE, "--cpus: must be >= 1, got " + cpus);
        if (rtLimit <= 0 || rtLimit > 1) throw new VmlatException(ExitCodes.USAGE, "--rt-limit: expected 0 < limit <= 1, got " + rtLimit);
        long overheadNs = Converters.micros("--overhead", overhead);
        TaskSetFile.Contents contents = TaskSetFile.read(file);
        Map<String, TaskSet> vms = contents.byVm();

        if (sweep != null) {
            String[] r = sweep.split("\\.\\.");
            if (r.length != 2) throw new VmlatException(ExitCodes.USAGE, "--sweep: expected FROM..TO, e.g. 1ms..20ms, got \"" + sweep + "\"");
            long from = Converters.micros("--sweep", r[0]), to = Converters.micros("--sweep", r[1]), st = Converters.micros("--step", step);
            if (from <= 0 || to < from || st <= 0) throw new VmlatException(ExitCodes.USAGE, "--sweep: need 0 < FROM <= TO and a positive --step");
            if ((to - from) / st > 10_000) throw new VmlatException(ExitCodes.USAGE, "--sweep: more than 10000 periods; use a larger --step");
            return sweep(out, vms, s, lm, bound, from, to, st, overheadNs, edp);
        }
        long p = Converters.micros("--period", period);
        long d = edp ? Converters.micros("--deadline", deadline) : p;
        if (p <= 0) throw new VmlatException(ExitCodes.USAGE, "--period: must be greater than 0");
        if (d <= 0 || d > p) throw new VmlatException(ExitCodes.USAGE, "--deadline: must be within 0..period");
        List<Design> designs = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (var e : vms.entrySet()) {
            TaskSetFile.VmSettings vs = contents.vms().get(e.getKey());
            long vp = vs != null && vs.periodNs() > 0 ? vs.periodNs() : p;
            long vd = vs != null && vs.deadlineNs() > 0 ? vs.deadlineNs() : (vs != null && vs.periodNs() > 0 ? vp : d);
            long q = budget(e.getValue(), s, vp, vd, bound.ns(), lm);
            if (q < 0) {
                failed.add(e.getKey().isEmpty() ? "the task set" : "VM " + e.getKey());
                continue;
            }
            long withOverhead = Math.min(vd, q + overheadNs);
            designs.add(new Design(e.getKey(), vp, vd, withOverhead, (double) withOverhead / vp));
        }
        double total = designs.stream().mapToDouble(Design::bandwidth).sum();
        boolean admitted = failed.isEmpty() && total <= rtLimit * cpus + 1e-12;
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", edp ? "edp" : "prm");
            m.put("scheduler", s.name().toLowerCase(Locale.ROOT));
            m.put("latency_ns", bound.ns());
            m.put("latency_model", lm.name().toLowerCase(Locale.ROOT));
            if (designs.size() == 1 && vms.size() == 1) {
                Design dd = designs.get(0);
                m.put("period_ns", dd.periodNs());
                m.put("deadline_ns", dd.deadlineNs());
                m.put("budget_ns", dd.budgetNs());
                m.put("bandwidth", dd.bandwidth());
            }
            List<Object> list = new ArrayList<>();
            for (Design dd : designs) {
                Map<String, Object> vm = new LinkedHashMap<>();
                vm.put("vm", dd.vm());
                vm.put("period_ns", dd.periodNs());
                vm.put("deadline_ns", dd.deadlineNs());
                vm.put("budget_ns", dd.budgetNs());
                vm.put("bandwidth", dd.bandwidth());
                vm.put("sched_deadline", Map.of("runtime_ns", dd.budgetNs(), "deadline_ns", dd.deadlineNs(), "period_ns", dd.periodNs()));
                list.add(vm);
            }
            m.put("vms", list);
            m.put("unschedulable", failed);
            m.put("total_bandwidth", total);
            m.put("host_limit", rtLimit * cpus);
            m.put("admitted", admitted);
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
        } else {
            out.printf(Locale.ROOT, "# vmlat design %s: %s server, %s inside, latency %s (%s) as %s%n", file, edp ? "EDP" : "periodic (PRM)",
                    s == Scheduler.FP ? "fixed priority" : "EDF", Durations.format(bound.ns()), bound.origin(), lm.name().toLowerCase(Locale.ROOT));
            for (Design dd : designs) {
                String name = dd.vm().isEmpty() ? "tasks" : "VM " + dd.vm();
                out.printf(Locale.ROOT, "%s: budget %s every %s%s, bandwidth %.4f%s%n", name, Durations.format(dd.budgetNs()),
                        Durations.format(dd.periodNs()), dd.deadlineNs() != dd.periodNs() ? " within " + Durations.format(dd.deadlineNs()) : "",
                        dd.bandwidth(), overheadNs > 0 ? " (including " + Durations.format(overheadNs) + " overhead)" : "");
                out.printf(Locale.ROOT, "  SCHED_DEADLINE: chrt --deadline --sched-runtime %d --sched-deadline %d --sched-period %d --pid 0 <vCPU thread id>%n",
                        dd.budgetNs(), dd.deadlineNs(), dd.periodNs());
                out.println("  libvirt (CFS bandwidth, a throttle rather than a guarantee):");
                out.print(libvirt(dd));
            }
            for (String f : failed) out.println(f + ": NOT schedulable even with the whole CPU at this period");
            out.printf(Locale.ROOT, "Host: total bandwidth %.4f of %.2f (%d CPU(s) x %.2f): %s%n", total, rtLimit * cpus, cpus, rtLimit,
                    admitted ? "admitted" : "NOT admitted");
        }
        out.flush();
        return admitted ? ExitCodes.OK : ExitCodes.THRESHOLD;
    }

    private Integer sweep(PrintWriter out, Map<String, TaskSet> vms, Scheduler s, LatencyModel lm, LatencyOptions.Bound bound,
                          long from, long to, long st, long overheadNs, boolean edp) throws Exception {
        if (edp) throw new VmlatException(ExitCodes.USAGE, "--sweep works with --model prm (the EDP deadline is tied to one period)");
        out.printf(Locale.ROOT, "# vmlat design %s: bandwidth against period (PRM, %s inside, latency %s as %s)%n", file,
                s == Scheduler.FP ? "fixed priority" : "EDF", Durations.format(bound.ns()), lm.name().toLowerCase(Locale.ROOT));
        for (var e : vms.entrySet()) {
            double best = Double.MAX_VALUE;
            long bestP = -1;
            List<long[]> points = new ArrayList<>();
            for (long p = from; p <= to; p += st) {
                long q = budget(e.getValue(), s, p, p, bound.ns(), lm);
                long qo = q < 0 ? -1 : Math.min(p, q + overheadNs);
                points.add(new long[] {p, qo});
                if (qo > 0 && (double) qo / p < best) {
                    best = (double) qo / p;
                    bestP = p;
                }
            }
            out.println((e.getKey().isEmpty() ? "tasks" : "VM " + e.getKey()) + ":");
            out.printf("  %10s %12s %10s%n", "period", "budget", "bandwidth");
            for (long[] pt : points) {
                out.printf(Locale.ROOT, "  %10s %12s %10s%s%n", Durations.format(pt[0]), pt[1] < 0 ? "-" : Durations.format(pt[1]),
                        pt[1] < 0 ? "-" : String.format(Locale.ROOT, "%.4f", (double) pt[1] / pt[0]), pt[0] == bestP ? "  <- best" : "");
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    static long budget(TaskSet ts, Scheduler s, long periodNs, long deadlineNs, long latencyNs, LatencyModel lm) {
        try {
            return ServerAnalysis.minimumBudget(ts, s, periodNs, deadlineNs, latencyNs, lm);
        } catch (IllegalArgumentException e) {
            throw new VmlatException(ExitCodes.USAGE, e.getMessage());
        }
    }

    static String libvirt(Design d) {
        long periodUs = d.periodNs() / 1000, quotaUs = -Math.floorDiv(-d.budgetNs(), 1000);
        StringBuilder sb = new StringBuilder();
        sb.append("    <cputune>\n");
        sb.append("      <vcpu_period>").append(periodUs).append("</vcpu_period>\n");
        sb.append("      <vcpu_quota>").append(quotaUs).append("</vcpu_quota>\n");
        sb.append("    </cputune>\n");
        if (d.periodNs() % 1000 != 0 || periodUs < 1000 || periodUs > 1_000_000) {
            sb.append("    (libvirt takes whole microseconds, period 1000..1000000 us: adjust the period)\n");
        }
        return sb.toString();
    }
}
