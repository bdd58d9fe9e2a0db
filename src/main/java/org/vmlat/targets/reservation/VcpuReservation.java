package org.vmlat.targets.reservation;

import java.nio.file.Path;
import org.vmlat.latency.Durations;
import org.vmlat.sched.server.Reservation;

/**
 * The CPU reservation a scenario puts on a guest's vCPU thread(s), as a plan writes it
 * (docs/reservations.md):
 * <ul>
 *   <li>{@code none}: the threads keep the scheduling the target gives them;</li>
 *   <li>{@code deadline:RUNTIME/PERIOD} or {@code deadline:RUNTIME/DEADLINE/PERIOD}: SCHED_DEADLINE,
 *       in chrt's order (runtime ≤ deadline ≤ period), e.g. {@code deadline:2ms/10ms};</li>
 *   <li>{@code cfs:QUOTA/PERIOD}: CFS bandwidth (the cpu controller's quota every period);</li>
 *   <li>{@code design:VMS.toml:NAME}: SCHED_DEADLINE with the budget {@code vmlat design} computes
 *       for VM NAME of that file ({@link DesignedReservation}).</li>
 * </ul>
 *
 * @param written  the value as the plan gives it (what scenarios and reports show)
 * @param budgetNs Θ: runtime (deadline) or quota (cfs); 0 for none
 */
public record VcpuReservation(String written, Kind kind, long budgetNs, long deadlineNs, long periodNs) {
    public enum Kind { NONE, DEADLINE, CFS }

    public static final VcpuReservation NONE = new VcpuReservation("none", Kind.NONE, 0, 0, 0);
    /** SCHED_DEADLINE's limits (sched_deadline_period_min_us is 100 us by default; runtime below 1 us is refused). */
    static final long MIN_RUNTIME_NS = 1_024, MIN_CFS_PERIOD_NS = 1_000_000, MAX_CFS_PERIOD_NS = 1_000_000_000;

    public VcpuReservation {
        if (written == null || written.isBlank()) throw new IllegalArgumentException("written must not be empty");
        if (kind != Kind.NONE) {
            if (periodNs <= 0) throw new IllegalArgumentException("period must be > 0, got " + periodNs);
            if (deadlineNs <= 0 || deadlineNs > periodNs) throw new IllegalArgumentException("deadline must be within 1.." + periodNs + " ns, got " + deadlineNs);
            if (budgetNs <= 0 || budgetNs > deadlineNs) throw new IllegalArgumentException("budget must be within 1.." + deadlineNs + " ns, got " + budgetNs);
        }
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    /** Θ/Π. */
    public double bandwidth() {
        return isNone() ? 1 : (double) budgetNs / periodNs;
    }

    /**
     * The longest time the reservation may supply nothing: the periodic resource's blackout
     * 2(Π − Θ), or with an explicit deadline D (EDP) Π + D − 2Θ; 0 for none.
     */
    public long blackoutNs() {
        return isNone() ? 0 : new Reservation("", periodNs, deadlineNs, budgetNs).blackoutNs();
    }

    /** "2ms/10ms", "2ms/5ms/10ms": the parameters, for settings and reports. */
    public String parameters() {
        if (isNone()) return "none";
        return Durations.format(budgetNs) + (deadlineNs == periodNs ? "" : "/" + Durations.format(deadlineNs)) + "/" + Durations.format(periodNs);
    }

    /**
     * Reads a plan value; {@code design:} values read their VM file (relative to {@code base}).
     *
     * @throws IllegalArgumentException naming what is wrong with the value
     */
    public static VcpuReservation parse(String value, Path base) {
        String v = value.strip();
        if (v.equals("none")) return NONE;
        int colon = v.indexOf(':');
        String type = colon < 0 ? v : v.substring(0, colon);
        String args = colon < 0 ? "" : v.substring(colon + 1);
        return switch (type) {
            case "deadline" -> deadline(v, args);
            case "cfs" -> cfs(v, args);
            case "design" -> {
                int last = args.lastIndexOf(':');
                if (last <= 0 || last == args.length() - 1) throw new IllegalArgumentException("expected design:VMS.toml:NAME, got \"" + value + "\"");
                yield DesignedReservation.resolve(v, base.resolve(args.substring(0, last)), args.substring(last + 1));
            }
            default -> throw new IllegalArgumentException("expected none, deadline:RUNTIME/PERIOD, deadline:RUNTIME/DEADLINE/PERIOD, cfs:QUOTA/PERIOD"
                    + " or design:VMS.toml:NAME, got \"" + value + "\"");
        };
    }

    private static VcpuReservation deadline(String v, String args) {
        String[] p = args.split("/", -1);
        if (p.length != 2 && p.length != 3) throw new IllegalArgumentException("expected deadline:RUNTIME/PERIOD or deadline:RUNTIME/DEADLINE/PERIOD (e.g. deadline:2ms/10ms), got \"" + v + "\"");
        long runtime = duration(p[0], "runtime", v), period = duration(p[p.length - 1], "period", v);
        long deadline = p.length == 3 ? duration(p[1], "deadline", v) : period;
        if (runtime < MIN_RUNTIME_NS) throw new IllegalArgumentException("runtime " + p[0] + " is below SCHED_DEADLINE's least runtime (1024ns) in \"" + v + "\"");
        if (!(runtime <= deadline && deadline <= period)) {
            throw new IllegalArgumentException("SCHED_DEADLINE needs runtime <= deadline <= period, got " + String.join("/", p) + " in \"" + v + "\"");
        }
        return new VcpuReservation(v, Kind.DEADLINE, runtime, deadline, period);
    }

    private static VcpuReservation cfs(String v, String args) {
        String[] p = args.split("/", -1);
        if (p.length != 2) throw new IllegalArgumentException("expected cfs:QUOTA/PERIOD (e.g. cfs:2ms/10ms), got \"" + v + "\"");
        long quota = duration(p[0], "quota", v), period = duration(p[1], "period", v);
        if (period < MIN_CFS_PERIOD_NS || period > MAX_CFS_PERIOD_NS) throw new IllegalArgumentException("CFS bandwidth period must be within 1ms..1s, got " + p[1] + " in \"" + v + "\"");
        if (quota % 1000 != 0 || period % 1000 != 0) throw new IllegalArgumentException("CFS bandwidth takes whole microseconds, got " + args + " in \"" + v + "\"");
        if (quota < 1_000_000 || quota > period) throw new IllegalArgumentException("CFS quota must be within 1ms..period (one CPU at most), got " + p[0] + " in \"" + v + "\"");
        return new VcpuReservation(v, Kind.CFS, quota, period, period);
    }

    private static long duration(String text, String what, String v) {
        if (text.isBlank()) throw new IllegalArgumentException(what + " is missing in \"" + v + "\"");
        long ns;
        try {
            ns = Durations.parseNs(text, Durations.Unit.US);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage() + " in \"" + v + "\"");
        }
        if (ns <= 0) throw new IllegalArgumentException(what + " must be > 0 in \"" + v + "\"");
        return ns;
    }
}
