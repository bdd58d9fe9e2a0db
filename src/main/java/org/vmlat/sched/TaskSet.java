package org.vmlat.sched;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** An ordered, immutable set of tasks on one processor. Order = priority order for fixed priority. */
public record TaskSet(List<Task> tasks) {

    public TaskSet {
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) throw new IllegalArgumentException("task set: no tasks");
        Set<String> names = new HashSet<>();
        for (Task t : tasks) {
            if (!names.add(t.name())) throw new IllegalArgumentException("name: duplicate task name \"" + t.name() + "\"");
        }
    }

    /** Sorted by (priority, original position): the highest priority first. */
    public static TaskSet byPriority(List<Task> tasks) {
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(Comparator.comparingInt(Task::priority)); // stable: ties keep file order
        return new TaskSet(sorted);
    }

    /** Deadline-monotonic priorities 1..n (ties by position), for sets that name none. */
    public static TaskSet deadlineMonotonic(List<Task> tasks) {
        List<Task> sorted = new ArrayList<>(tasks);
        sorted.sort(Comparator.comparingLong(Task::deadlineNs));
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) out.add(sorted.get(i).withPriority(i + 1));
        return new TaskSet(out);
    }

    public int size() {
        return tasks.size();
    }

    public Task get(int i) {
        return tasks.get(i);
    }

    /** Utilisation as a double, for display only; exact comparisons use {@link #utilisationAtMost}. */
    public double utilisation() {
        double u = 0;
        for (Task t : tasks) u += (double) t.wcetNs() / t.periodNs();
        return u;
    }

    /** Exactly whether sum(C/T) <= num/den. */
    public boolean utilisationAtMost(long num, long den) {
        // sum C_i/T_i <= num/den  <=>  den * sum(C_i * P/T_i) <= num * P with P = product of periods
        BigInteger lhsNum = BigInteger.ZERO, lhsDen = BigInteger.ONE;
        for (Task t : tasks) {
            BigInteger c = BigInteger.valueOf(t.wcetNs()), p = BigInteger.valueOf(t.periodNs());
            lhsNum = lhsNum.multiply(p).add(c.multiply(lhsDen));
            lhsDen = lhsDen.multiply(p);
            BigInteger g = lhsNum.gcd(lhsDen);
            if (g.signum() > 0) {
                lhsNum = lhsNum.divide(g);
                lhsDen = lhsDen.divide(g);
            }
        }
        return lhsNum.multiply(BigInteger.valueOf(den)).compareTo(BigInteger.valueOf(num).multiply(lhsDen)) <= 0;
    }
}
