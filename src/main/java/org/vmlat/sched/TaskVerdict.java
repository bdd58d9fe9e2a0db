package org.vmlat.sched;

/**
 * The verdict for one task.
 *
 * @param responseTimeNs worst-case response time from the nominal release (including jitter), or
 *                       -1 when the analysis does not give one (EDF) or stopped early
 * @param slackNs        deadline minus response time (negative when late), or -1 when unknown
 * @param reason         why the task is not schedulable (empty when it is)
 */
public record TaskVerdict(String name, long responseTimeNs, boolean schedulable, long slackNs, String reason) {}
