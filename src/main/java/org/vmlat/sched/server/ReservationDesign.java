package org.vmlat.sched.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmlat.sched.LatencyModel;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.TaskSet;

/**
 * The smallest reservation that serves a task set (the exact minimum budget of
 * {@link ServerAnalysis#minimumBudget}), plus a fixed overhead per period, and the sweep of that
 * reservation over a range of periods.
 */
public final class ReservationDesign {
    /** One period of a sweep: the budget with overhead, or -1 when no budget serves the tasks. */
    public record SweepPoint(long periodNs, long budgetNs) {
        public double bandwidth() {
            return budgetNs < 0 ? Double.NaN : (double) budgetNs / periodNs;
        }
    }

    private ReservationDesign() {}

    /**
     * A VM's design: its reservation, or (empty) why no reservation of this period and deadline
     * serves it, e.g. because the tasks' budget plus the overhead exceeds the deadline.
     */
    public record Design(Optional<Reservation> reservation, String reason) {
        public Design {
            if (reservation.isPresent() == !reason.isEmpty()) {
                throw new IllegalArgumentException("reason: a reservation needs none and its absence one, got \"" + reason + "\"");
            }
        }
    }

    /**
     * The reservation for {@code vm}'s tasks at this period and deadline: the least task budget
     * plus the overhead ({@link ServerAnalysis#budget}), never clamped to the deadline.
     */
    public static Design design(String vm, TaskSet tasks, Scheduler scheduler, long periodNs, long deadlineNs,
                                long latencyNs, LatencyModel model, long overheadNs) {
        ServerBudget b = ServerAnalysis.budget(tasks, scheduler, periodNs, deadlineNs, overheadNs, latencyNs, model);
        if (!b.feasible()) return new Design(Optional.empty(), b.reason());
        return new Design(Optional.of(new Reservation(vm, periodNs, deadlineNs, b.runtimeNs())), "");
    }

    /** Implicit-deadline reservations at every period from {@code fromNs} to {@code toNs} by {@code stepNs}. */
    public static List<SweepPoint> sweep(TaskSet tasks, Scheduler scheduler, long fromNs, long toNs, long stepNs, long latencyNs,
                                         LatencyModel model, long overheadNs) {
        if (fromNs <= 0 || toNs < fromNs || stepNs <= 0) {
            throw new IllegalArgumentException("sweep needs 0 < from <= to and step > 0, got " + fromNs + ".." + toNs + " by " + stepNs);
        }
        List<SweepPoint> points = new ArrayList<>();
        for (long p = fromNs; p <= toNs; p += stepNs) {
            points.add(new SweepPoint(p, design("", tasks, scheduler, p, p, latencyNs, model, overheadNs).reservation().map(Reservation::budgetNs).orElse(-1L)));
        }
        return points;
    }

    /** The point of lowest bandwidth (the first on ties), or null when no period serves the tasks. */
    public static SweepPoint best(List<SweepPoint> points) {
        SweepPoint best = null;
        for (SweepPoint p : points) if (p.budgetNs() > 0 && (best == null || p.bandwidth() < best.bandwidth())) best = p;
        return best;
    }
}
