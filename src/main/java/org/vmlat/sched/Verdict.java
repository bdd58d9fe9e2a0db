package org.vmlat.sched;

import java.util.List;

/**
 * The result of a schedulability analysis.
 *
 * @param bounded true when the analysis stopped at its work limit before deciding (reported as
 *                not schedulable, with the reason in {@code note})
 */
public record Verdict(Scheduler scheduler, boolean schedulable, long latencyNs, LatencyModel model,
                      List<TaskVerdict> tasks, boolean bounded, String note) {
    public Verdict {
        tasks = List.copyOf(tasks);
    }
}
