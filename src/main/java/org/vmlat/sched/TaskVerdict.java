package org.vmlat.sched;

/**
 * The verdict for one task.
 *
 * @param responseTimeNs exact worst-case response time from the nominal release (including jitter),
 *                       late tasks included; -1 when the analysis gives none: EDF, a response time
 *                       that is unbounded (utilisation above 1 at this priority level, said in the
 *                       reason) or an analysis stopped at its work limit
 * @param slackNs        deadline minus response time, negative when late; meaningful only when
 *                       {@code responseTimeNs >= 0} (-1 otherwise)
 * @param reason         why the task is not schedulable (empty when it is)
 */
public record TaskVerdict(String name, long responseTimeNs, boolean schedulable, long slackNs, String reason) {}
