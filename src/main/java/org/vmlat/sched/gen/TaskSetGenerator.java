package org.vmlat.sched.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

/**
 * Random task sets for acceptance-ratio experiments: utilisations by UUniFast-Discard (Bini and
 * Buttazzo, "Measuring the performance of schedulability tests", Real-Time Systems 30, 2005;
 * Davis and Burns 2009 for the discard variant), periods log-uniform in [minPeriod, maxPeriod]
 * (Emberson, Stafford and Davis, WATERS 2010), WCET = round(U_i T_i) (at least 1 ns), deadlines
 * implicit or uniform in [C_i, T_i] (constrained). Priorities are deadline-monotonic.
 */
public final class TaskSetGenerator {
    public enum Deadlines { IMPLICIT, CONSTRAINED }

    private final int tasks;
    private final long minPeriodNs;
    private final long maxPeriodNs;
    private final Deadlines deadlines;

    public TaskSetGenerator(int tasks, long minPeriodNs, long maxPeriodNs, Deadlines deadlines) {
        if (tasks < 1) throw new IllegalArgumentException("tasks must be >= 1, got " + tasks);
        if (minPeriodNs <= 0 || maxPeriodNs < minPeriodNs) {
            throw new IllegalArgumentException("periods must satisfy 0 < min <= max, got " + minPeriodNs + ".." + maxPeriodNs);
        }
        this.tasks = tasks;
        this.minPeriodNs = minPeriodNs;
        this.maxPeriodNs = maxPeriodNs;
        this.deadlines = deadlines;
    }

    /** UUniFast-Discard: n utilisations summing to u, each at most 1. */
    public static double[] uunifastDiscard(int n, double u, SplittableRandom rnd) {
        while (true) {
            double[] out = new double[n];
            double sum = u;
            boolean ok = true;
            for (int i = 0; i < n - 1; i++) {
                double next = sum * Math.pow(rnd.nextDouble(), 1.0 / (n - 1 - i));
                out[i] = sum - next;
                sum = next;
                if (out[i] > 1) ok = false;
            }
            out[n - 1] = sum;
            if (sum > 1) ok = false;
            if (ok) return out;
        }
    }

    public TaskSet generate(double utilisation, SplittableRandom rnd) {
        double[] u = uunifastDiscard(tasks, utilisation, rnd);
        List<Task> out = new ArrayList<>(tasks);
        double logMin = Math.log(minPeriodNs), logMax = Math.log(maxPeriodNs);
        for (int i = 0; i < tasks; i++) {
            long t = Math.max(1, Math.round(Math.exp(logMin + rnd.nextDouble() * (logMax - logMin))));
            long c = Math.max(1, Math.min(t, Math.round(u[i] * t)));
            long d = deadlines == Deadlines.IMPLICIT ? t : c + (long) (rnd.nextDouble() * (t - c + 1));
            out.add(new Task("t" + i, c, t, Math.min(d, t), 0, 0, 0, ""));
        }
        return TaskSet.deadlineMonotonic(out);
    }
}
