package org.vmlat.sim;

/**
 * One stretch of the processor given to one job: the bars of the schedule figure.
 *
 * @param job 0-based index of the job within its task (its nominal release is job * period)
 */
public record Segment(String task, long job, long startNs, long endNs) {
    public Segment {
        if (task == null || task.isBlank()) throw new IllegalArgumentException("task: must not be empty");
        if (job < 0) throw new IllegalArgumentException("job: must be >= 0, got " + job);
        if (startNs < 0 || endNs <= startNs) {
            throw new IllegalArgumentException("segment: must satisfy 0 <= start < end, got " + startNs + ".." + endNs + " ns");
        }
    }
}
