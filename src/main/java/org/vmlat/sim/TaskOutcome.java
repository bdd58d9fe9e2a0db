package org.vmlat.sim;

import org.HdrHistogram.AbstractHistogram;

/**
 * What one task saw in the simulation, next to what the analysis promises.
 *
 * @param responseNs     observed response times (completion minus nominal release) of completed jobs
 * @param maxResponseNs  exact largest observed response time (0 when no job completed)
 * @param jobs           jobs whose deadline fell within the simulated time, or that completed
 * @param misses         of those, jobs that completed after their deadline or had not completed by it
 * @param boundNs        the analysis's worst-case response time at L^max = the largest drawn
 *                       latency (fixed priority with the latency as release jitter); -1 when the
 *                       analysis gives none (EDF, a server, or an unbounded response time)
 */
public record TaskOutcome(String name, AbstractHistogram responseNs, long maxResponseNs, long jobs, long misses, long boundNs) {
    public TaskOutcome {
        if (jobs < 0 || misses < 0 || misses > jobs) {
            throw new IllegalArgumentException("misses: must satisfy 0 <= misses <= jobs, got " + misses + " of " + jobs);
        }
    }

    public double missRatio() {
        return jobs == 0 ? 0 : (double) misses / jobs;
    }
}
