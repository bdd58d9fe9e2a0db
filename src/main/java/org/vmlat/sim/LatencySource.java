package org.vmlat.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Where the release delay of each simulated job comes from. Every draw takes the simulation's own
 * seeded {@link Random}, so one seed gives one schedule.
 */
public interface LatencySource {
    /** The delay of the next job's release, in ns (>= 0). */
    long nextNs(Random random);

    /** The largest delay this source can give: the L^max the analysis is run with when no draw is larger. */
    long maxNs();

    /** Every job delayed by the same latency (0 = the theoretical schedule). */
    static LatencySource fixed(long latencyNs) {
        if (latencyNs < 0) throw new IllegalArgumentException("latency: must be >= 0, got " + latencyNs + " ns");
        return new LatencySource() {
            public long nextNs(Random random) {
                return latencyNs;
            }

            public long maxNs() {
                return latencyNs;
            }
        };
    }

    /** The delays in this order, starting again at the first when they run out (a probe's kept sequence). */
    static LatencySource sequence(long[] latenciesNs) {
        if (latenciesNs.length == 0) throw new IllegalArgumentException("sequence: must hold at least one latency");
        long[] seq = latenciesNs.clone();
        long max = 0;
        for (long l : seq) {
            if (l < 0) throw new IllegalArgumentException("sequence: latencies must be >= 0, got " + l + " ns");
            max = Math.max(max, l);
        }
        long m = max;
        return new LatencySource() {
            private int next;

            public long nextNs(Random random) {
                long l = seq[next];
                next = (next + 1) % seq.length;
                return l;
            }

            public long maxNs() {
                return m;
            }
        };
    }

    /**
     * Independent draws from a measured distribution (a histogram of ns): each delay is a recorded value chosen with
     * probability count/total (the histogram's bucket value, HdrHistogram's highest equivalent
     * value, so the draws never fall below what was measured).
     */
    static LatencySource resampled(AbstractHistogram histogramNs) {
        AbstractHistogram histogram = histogramNs;
        if (histogram.getTotalCount() == 0) throw new IllegalArgumentException("histogram: holds no samples");
        List<long[]> buckets = new ArrayList<>();
        long cumulative = 0;
        for (HistogramIterationValue v : histogram.recordedValues()) {
            cumulative += v.getCountAtValueIteratedTo();
            buckets.add(new long[] {cumulative, histogram.highestEquivalentValue(v.getValueIteratedTo())});
        }
        long total = cumulative;
        long[] upTo = new long[buckets.size()], value = new long[buckets.size()];
        for (int i = 0; i < upTo.length; i++) {
            upTo[i] = buckets.get(i)[0];
            value[i] = buckets.get(i)[1];
        }
        long max = value[value.length - 1];
        return new LatencySource() {
            public long nextNs(Random random) {
                long r = (long) (random.nextDouble() * total); // in [0, total)
                int lo = 0, hi = upTo.length - 1;
                while (lo < hi) { // first bucket whose cumulative count exceeds r
                    int mid = (lo + hi) >>> 1;
                    if (upTo[mid] > r) hi = mid;
                    else lo = mid + 1;
                }
                return value[lo];
            }

            public long maxNs() {
                return max;
            }
        };
    }
}
