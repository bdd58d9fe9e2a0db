package org.vmlat.sim;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one simulation.
 *
 * @param maxDrawnNs   the largest latency drawn: the L^max the bounds were computed for
 * @param firstMiss    the job whose deadline passed first without it having completed, if any
 * @param windowStartNs start of the schedule window shown (around the first miss, else the opening)
 * @param theoretical  the schedule with no latency within the window
 * @param actual       the schedule with the drawn latencies within the window
 */
public record SimulationResult(List<TaskOutcome> tasks, long maxDrawnNs, Optional<Miss> firstMiss,
                               long windowStartNs, long windowEndNs, List<Segment> theoretical, List<Segment> actual) {
    public SimulationResult {
        tasks = List.copyOf(tasks);
        theoretical = List.copyOf(theoretical);
        actual = List.copyOf(actual);
        if (windowEndNs < windowStartNs) {
            throw new IllegalArgumentException("window: end " + windowEndNs + " ns is before start " + windowStartNs + " ns");
        }
    }

    /** A deadline miss: the job, its nominal release and its absolute deadline. */
    public record Miss(String task, long job, long releaseNs, long deadlineNs) {}

    public long misses() {
        return tasks.stream().mapToLong(TaskOutcome::misses).sum();
    }
}
