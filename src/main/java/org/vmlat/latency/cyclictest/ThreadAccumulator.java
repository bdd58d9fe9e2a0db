package org.vmlat.latency.cyclictest;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.HdrHistogram.Histogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;

/** Builds one {@link ThreadResult} from samples or buckets as a parser meets them. */
final class ThreadAccumulator {
    final int thread;
    int cpu = -1;
    long intervalNs;
    final long unitNs;
    final Histogram histogram = LatencyHistograms.create();
    long count;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum;
    long overflows;
    private final int spikeCapacity;
    private final PriorityQueue<Spike> worst;

    ThreadAccumulator(int thread, long unitNs, int spikeCapacity) {
        this.thread = thread;
        this.unitNs = unitNs;
        this.spikeCapacity = spikeCapacity;
        this.worst = new PriorityQueue<>(Math.max(1, spikeCapacity + 1),
                (a, b) -> Long.compare(a.latencyNs(), b.latencyNs()));
    }

    /** One sample in the source's unit (verbose output). */
    void sample(long cycle, long value) {
        long ns = Math.max(0, value) * unitNs;
        histogram.recordValue(Math.min(ns, LatencyHistograms.HIGHEST_TRACKABLE_NS));
        count++;
        sum += ns;
        min = Math.min(min, ns);
        max = Math.max(max, ns);
        if (spikeCapacity > 0) {
            worst.add(new Spike(ns, cycle, -1));
            if (worst.size() > spikeCapacity) worst.poll();
        }
    }

    /** {@code n} samples of one histogram bucket (value in the source's unit). */
    void bucket(long value, long n) {
        if (n > 0) histogram.recordValueWithCount(Math.min(value * unitNs, LatencyHistograms.HIGHEST_TRACKABLE_NS), n);
    }

    ThreadResult build() {
        List<Spike> spikes = new ArrayList<>(worst);
        return new ThreadResult(thread, cpu, intervalNs, unitNs, count,
                count == 0 ? 0 : min, count == 0 ? 0 : max, sum, -1, overflows, histogram, spikes);
    }
}
