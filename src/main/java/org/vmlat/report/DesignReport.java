package org.vmlat.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmlat.latency.Durations;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.server.HostAdmission;
import org.vmlat.sched.server.Reservation;
import org.vmlat.sched.server.ReservationDesign.SweepPoint;

/**
 * CPU reservations as text, JSON (durations in integer ns) and the settings that deploy them:
 * a SCHED_DEADLINE {@code chrt} line and libvirt's {@code <cputune>} (CFS bandwidth in whole
 * microseconds, a throttle rather than a guarantee).
 */
public final class DesignReport {
    /** What the design assumed, for the header. */
    public record Setup(String source, boolean edp, Scheduler scheduler, long latencyNs, String latencyOrigin, LatencyModel model,
                        long overheadNs) {}

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DesignReport() {}

    public static String text(Setup s, HostAdmission host) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "# vmlat design %s: %s server, %s inside, latency %s (%s) as %s%n", s.source(),
                s.edp() ? "EDP" : "periodic (PRM)", inside(s.scheduler()), Durations.format(s.latencyNs()), s.latencyOrigin(), name(s.model())));
        for (Reservation r : host.reservations()) {
            String name = r.vm().isEmpty() ? "tasks" : "VM " + r.vm();
            out.append(String.format(Locale.ROOT, "%s: budget %s every %s%s, bandwidth %.4f%s%n", name, Durations.format(r.budgetNs()),
                    Durations.format(r.periodNs()), r.deadlineNs() != r.periodNs() ? " within " + Durations.format(r.deadlineNs()) : "",
                    r.bandwidth(), s.overheadNs() > 0 ? " (including " + Durations.format(s.overheadNs()) + " overhead)" : ""));
            out.append(String.format(Locale.ROOT, "  %s%n", schedDeadline(r)));
            out.append("  libvirt (CFS bandwidth, a throttle rather than a guarantee):\n");
            out.append(libvirt(r));
        }
        for (HostAdmission.Unserved u : host.unserved()) out.append(unserved(u.vm())).append(": NOT admitted: ").append(u.reason()).append('\n');
        out.append(String.format(Locale.ROOT, "Host: total bandwidth %.4f of %.2f (%d CPU(s) x %.2f): %s%n", host.totalBandwidth(), host.limit(),
                host.cpus(), host.rtLimit(), host.admitted() ? "admitted" : "NOT admitted"));
        return out.toString();
    }

    public static String json(Setup s, HostAdmission host) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.edp() ? "edp" : "prm");
        m.put("scheduler", s.scheduler().name().toLowerCase(Locale.ROOT));
        m.put("latency_ns", s.latencyNs());
        m.put("latency_model", name(s.model()));
        if (host.reservations().size() == 1 && host.unserved().isEmpty()) {
            Reservation r = host.reservations().get(0);
            m.put("period_ns", r.periodNs());
            m.put("deadline_ns", r.deadlineNs());
            m.put("budget_ns", r.budgetNs());
            m.put("bandwidth", r.bandwidth());
        }
        List<Object> list = new ArrayList<>();
        for (Reservation r : host.reservations()) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("vm", r.vm());
            vm.put("period_ns", r.periodNs());
            vm.put("deadline_ns", r.deadlineNs());
            vm.put("budget_ns", r.budgetNs());
            vm.put("bandwidth", r.bandwidth());
            vm.put("sched_deadline", Map.of("runtime_ns", r.budgetNs(), "deadline_ns", r.deadlineNs(), "period_ns", r.periodNs()));
            list.add(vm);
        }
        m.put("vms", list);
        m.put("unschedulable", host.unserved().stream().map(u -> unserved(u.vm())).toList());
        m.put("unschedulable_reasons", host.unserved().stream().map(HostAdmission.Unserved::reason).toList());
        m.put("total_bandwidth", host.totalBandwidth());
        m.put("host_limit", host.limit());
        m.put("admitted", host.admitted());
        try {
            return MAPPER.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bandwidth against period for each VM, the lowest marked. */
    public static String sweep(Setup s, Map<String, List<SweepPoint>> byVm, Map<String, SweepPoint> best) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "# vmlat design %s: bandwidth against period (PRM, %s inside, latency %s as %s)%n", s.source(),
                inside(s.scheduler()), Durations.format(s.latencyNs()), name(s.model())));
        byVm.forEach((vm, points) -> {
            out.append(vm.isEmpty() ? "tasks" : "VM " + vm).append(":\n");
            out.append(String.format(Locale.ROOT, "  %10s %12s %10s%n", "period", "budget", "bandwidth"));
            SweepPoint b = best.get(vm);
            for (SweepPoint pt : points) {
                out.append(String.format(Locale.ROOT, "  %10s %12s %10s%s%n", Durations.format(pt.periodNs()),
                        pt.budgetNs() < 0 ? "-" : Durations.format(pt.budgetNs()),
                        pt.budgetNs() < 0 ? "-" : String.format(Locale.ROOT, "%.4f", pt.bandwidth()), pt.equals(b) ? "  <- best" : ""));
            }
        });
        return out.toString();
    }

    /** The command that gives one vCPU thread this reservation under SCHED_DEADLINE. */
    public static String schedDeadline(Reservation r) {
        return String.format(Locale.ROOT, "SCHED_DEADLINE: chrt --deadline --sched-runtime %d --sched-deadline %d --sched-period %d --pid 0 <vCPU thread id>",
                r.budgetNs(), r.deadlineNs(), r.periodNs());
    }

    /** libvirt's {@code <cputune>}: whole microseconds, the quota rounded up so the budget is never cut. */
    public static String libvirt(Reservation r) {
        long periodUs = r.periodNs() / 1000, quotaUs = -Math.floorDiv(-r.budgetNs(), 1000);
        StringBuilder sb = new StringBuilder();
        sb.append("    <cputune>\n");
        sb.append("      <vcpu_period>").append(periodUs).append("</vcpu_period>\n");
        sb.append("      <vcpu_quota>").append(quotaUs).append("</vcpu_quota>\n");
        sb.append("    </cputune>\n");
        if (r.periodNs() % 1000 != 0 || periodUs < 1000 || periodUs > 1_000_000) {
            sb.append("    (libvirt takes whole microseconds, period 1000..1000000 us: adjust the period)\n");
        }
        return sb.toString();
    }

    private static String unserved(String vm) {
        return vm.isEmpty() ? "the task set" : "VM " + vm;
    }

    private static String inside(Scheduler s) {
        return s == Scheduler.FP ? "fixed priority" : "EDF";
    }

    private static String name(LatencyModel m) {
        return m.name().toLowerCase(Locale.ROOT);
    }
}
