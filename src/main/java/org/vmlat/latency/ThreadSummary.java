package org.vmlat.latency;

/**
 * The figures of one thread's result that reports read, computed once from its histogram (see
 * {@link ThreadResult} for their exact meaning); percentiles are -1 when the distribution is
 * unknown, overruns -1 when the source does not tell.
 */
public record ThreadSummary(int thread, int cpu, long intervalNs, long resolutionNs, long count, long minNs, long maxNs,
                            long sumNs, long overruns, long histogramOverflows, long p50Ns, long p90Ns, long p99Ns,
                            long p999Ns, long p9999Ns) {

    public static ThreadSummary of(ThreadResult t) {
        return new ThreadSummary(t.thread(), t.cpu(), t.intervalNs(), t.resolutionNs(), t.count(), t.minNs(), t.maxNs(),
                t.sumNs(), t.overruns(), t.histogramOverflows(), t.percentileNs(50), t.percentileNs(90), t.percentileNs(99),
                t.percentileNs(99.9), t.percentileNs(99.99));
    }

    public double meanNs() {
        return count == 0 ? Double.NaN : (double) sumNs / count;
    }

    /** One of the standard percentiles (50, 90, 99, 99.9, 99.99). */
    public long percentileNs(double p) {
        if (p == 50) return p50Ns;
        if (p == 90) return p90Ns;
        if (p == 99) return p99Ns;
        if (p == 99.9) return p999Ns;
        if (p == 99.99) return p9999Ns;
        throw new IllegalArgumentException("percentile " + p + " is not kept in summaries (50, 90, 99, 99.9, 99.99)");
    }
}
