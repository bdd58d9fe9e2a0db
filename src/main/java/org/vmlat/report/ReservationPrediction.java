package org.vmlat.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.sched.server.Reservation;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * The latency a reservation lets a guest expect, beside what was measured under it: the
 * reservation's blackout ({@link Reservation#blackoutNs}: 2(Π − Θ), or Π + D − 2Θ with an explicit
 * deadline) plus the worst latency the same scenario showed without a reservation in the same
 * run (the scenario whose dimensions differ only in {@code reservation = "none"}). A measured
 * maximum above that bound is a violation of the model's assumptions (the vCPU thread is not the
 * only thing the guest waits for, or the reservation is a throttle rather than a guarantee).
 */
public final class ReservationPrediction {
    /** The reservation dimension's name in plans and the value meaning "no reservation". */
    static final String DIMENSION = "reservation", NONE = "none";

    /**
     * One reserved scenario.
     *
     * @param baselineNs the measured maximum without reservation; -1 when the run has no such scenario
     * @param boundNs    blackout + baseline; -1 without baseline
     */
    public record Row(ScenarioRecord scenario, String reservation, String kind, double bandwidth, long blackoutNs, long baselineNs,
                      long boundNs, long maxNs, long p999Ns) {
        public boolean hasBound() {
            return boundNs >= 0;
        }

        public boolean inside() {
            return hasBound() && maxNs <= boundNs;
        }

        /** Measured maximum over the bound (1 = the bound is reached exactly; above 1 a violation). */
        public double tightness() {
            return hasBound() && boundNs > 0 ? (double) maxNs / boundNs : Double.NaN;
        }

        public String verdict() {
            if (!hasBound()) return "no baseline (add reservation \"none\")";
            return inside() ? "inside" : "VIOLATED";
        }
    }

    private ReservationPrediction() {}

    /** The rows of the finished reserved scenarios, in run order. */
    public static List<Row> rows(List<ScenarioRecord> all) {
        Map<Map<String, String>, Long> baselines = new LinkedHashMap<>();
        for (ScenarioRecord s : all) {
            if (!NONE.equals(s.dims().get(DIMENSION)) || s.status() != ScenarioStatus.DONE || s.maxNs() < 0) continue;
            baselines.merge(withoutReservation(s), s.maxNs(), Math::max);
        }
        List<Row> rows = new ArrayList<>();
        for (ScenarioRecord s : all) {
            Reservation r = reservation(s);
            if (r == null || s.status() != ScenarioStatus.DONE || s.maxNs() < 0) continue;
            long baseline = baselines.getOrDefault(withoutReservation(s), -1L);
            long p999 = s.threads().stream().filter(t -> t.count() > 0).mapToLong(ThreadSummary::p999Ns).max().orElse(-1);
            rows.add(new Row(s, s.settings().get(SettingsKeys.RESERVATION), s.settings().getOrDefault(SettingsKeys.RESERVATION_KIND, "?"),
                    r.bandwidth(), r.blackoutNs(), baseline, baseline < 0 ? -1 : Math.addExact(baseline, r.blackoutNs()), s.maxNs(), p999));
        }
        return rows;
    }

    /** The reservation a scenario ran under, from its settings; null for none (or a scenario of a target without reservations). */
    static Reservation reservation(ScenarioRecord s) {
        Map<String, String> set = s.settings();
        String budget = set.get(SettingsKeys.RESERVATION_BUDGET_NS);
        if (budget == null) return null;
        try {
            return new Reservation("", Long.parseLong(set.get(SettingsKeys.RESERVATION_PERIOD_NS)),
                    Long.parseLong(set.get(SettingsKeys.RESERVATION_DEADLINE_NS)), Long.parseLong(budget));
        } catch (RuntimeException e) {
            return null; // settings of another version: no prediction rather than a wrong one
        }
    }

    /** The dimensions that name the same scenario without a reservation (the repetition included: a run's pairs). */
    private static Map<String, String> withoutReservation(ScenarioRecord s) {
        Map<String, String> d = new LinkedHashMap<>(s.dims());
        d.remove(DIMENSION);
        return d;
    }

    /**
     * Measured maximum and predicted bound over the bandwidth Θ/Π (a budget sweep's curve), or
     * null when fewer than two bandwidths have a bound.
     */
    static Chart chart(List<Row> rows) {
        List<Row> bounded = rows.stream().filter(Row::hasBound).sorted(java.util.Comparator.comparingDouble(Row::bandwidth)).toList();
        if (bounded.stream().map(Row::bandwidth).distinct().count() < 2) return null;
        List<double[]> measured = new ArrayList<>(), bound = new ArrayList<>();
        for (Row r : bounded) {
            measured.add(new double[] {r.bandwidth() * 100, Math.max(r.maxNs(), 1)});
            bound.add(new double[] {r.bandwidth() * 100, r.boundNs()});
        }
        double lo = bounded.stream().mapToDouble(r -> Math.min(r.maxNs(), r.boundNs())).min().orElse(1);
        double hi = bounded.stream().mapToDouble(r -> Math.max(r.maxNs(), r.boundNs())).max().orElse(1);
        Chart c = new Chart("measured max vs predicted bound", new Chart.Axis("budget Θ/Π (%)", Chart.Kind.NUMBER, 0, 100),
                Chart.Axis.latency("latency", lo, hi));
        return c.line(new Chart.Line("predicted bound", bound, Chart.COLORS[1], "bound", false))
                .line(new Chart.Line("measured max", measured, Chart.COLORS[0], "measured", true)).legend();
    }

    /** The rows as a text table (us), with a count of how many stayed inside. */
    public static String text(List<Row> rows) {
        if (rows.isEmpty()) return "";
        StringBuilder s = new StringBuilder("Reservations: predicted bound = blackout (Π + D − 2Θ) + max without reservation, against the measured max (us):\n");
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of("scenario", "reservation", "Θ/Π", "blackout", "max none", "bound", "max", "p99.9", "max/bound", "verdict"));
        for (Row r : rows) {
            cells.add(List.of(Integer.toString(r.scenario().index() + 1), r.reservation(), String.format(Locale.ROOT, "%.0f%%", r.bandwidth() * 100),
                    Micros.of(r.blackoutNs()), r.baselineNs() < 0 ? "-" : Micros.of(r.baselineNs()), r.hasBound() ? Micros.of(r.boundNs()) : "-",
                    Micros.of(r.maxNs()), r.p999Ns() < 0 ? "-" : Micros.of(r.p999Ns()),
                    r.hasBound() ? String.format(Locale.ROOT, "%.2f", r.tightness()) : "-", r.verdict()));
        }
        int[] w = new int[cells.get(0).size()];
        for (List<String> row : cells) for (int i = 0; i < w.length; i++) w[i] = Math.max(w[i], row.get(i).length());
        for (List<String> row : cells) {
            for (int i = 0; i < w.length; i++) {
                String c = row.get(i);
                if (i == w.length - 1) s.append(c);
                else s.append(i == 1 ? String.format(Locale.ROOT, "%-" + w[i] + "s", c) : String.format(Locale.ROOT, "%" + w[i] + "s", c));
                s.append(i == w.length - 1 ? "\n" : "  ");
            }
        }
        long bounded = rows.stream().filter(Row::hasBound).count(), inside = rows.stream().filter(Row::inside).count();
        s.append(inside).append(" of ").append(bounded).append(" reserved scenarios with a baseline stayed inside the predicted bound");
        if (rows.stream().anyMatch(r -> r.kind().equals("cfs"))) s.append("; CFS bandwidth is a throttle, not a guarantee: its bound assumes the thread runs whenever it has quota");
        s.append(".\n");
        return s.toString();
    }
}
