package org.vmlat.probe;

import java.util.List;
import org.vmlat.os.SchedPolicy;

/**
 * What to measure, with cyclictest's meanings where cyclictest has the same option.
 *
 * @param policy          scheduling policy of the measuring threads ({@code --policy})
 * @param priority        real-time priority, 1..99 ({@code -p}); ignored for OTHER
 * @param intervalNs      period of thread 0 ({@code -i})
 * @param distanceNs      thread t runs at {@code intervalNs + t * distanceNs} ({@code -d}; vmlat's
 *                        default is 0 so that all threads measure the same period)
 * @param threads         number of measuring threads ({@code -t})
 * @param cpus            CPUs the threads are pinned to, round-robin ({@code -a}); empty = not pinned
 * @param durationNs      how long to measure, 0 = until interrupted or {@code loops} ({@code -D})
 * @param loops           activations per thread, 0 = unlimited ({@code -l})
 * @param mlockall        lock all memory before measuring ({@code -m})
 * @param breaktraceNs    stop as soon as a latency exceeds this, 0 = off ({@code -b})
 * @param allowNonRt      measure even when SCHED_FIFO/RR or mlockall is refused, marking the result
 * @param spikes          how many worst activations to keep per thread, with timestamps
 * @param warmupNs        real activations discarded before measuring (after the JIT warm-up)
 * @param histogramMaxNs  cyclictest only: its {@code -h} range; samples above it are overflows
 */
public record ProbeSpec(
        SchedPolicy policy,
        int priority,
        long intervalNs,
        long distanceNs,
        int threads,
        List<Integer> cpus,
        long durationNs,
        long loops,
        boolean mlockall,
        long breaktraceNs,
        boolean allowNonRt,
        int spikes,
        long warmupNs,
        long histogramMaxNs) {

    /**
     * Worst activations kept per thread by default: enough exceedances (every activation above the
     * smallest kept one, with its cycle) for the tail's independence and stationarity checks.
     */
    public static final int DEFAULT_SPIKES = 200;

    public ProbeSpec {
        cpus = List.copyOf(cpus);
        if (intervalNs <= 0) throw new IllegalArgumentException("interval must be > 0, got " + intervalNs + " ns");
        if (distanceNs < 0) throw new IllegalArgumentException("distance must be >= 0, got " + distanceNs + " ns");
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (policy.realtime() && (priority < 1 || priority > 99)) {
            throw new IllegalArgumentException("priority must be 1..99 for " + policy.cliName() + ", got " + priority);
        }
        if (durationNs < 0) throw new IllegalArgumentException("duration must be >= 0, got " + durationNs + " ns");
        if (loops < 0) throw new IllegalArgumentException("loops must be >= 0, got " + loops);
        if (breaktraceNs < 0) throw new IllegalArgumentException("breaktrace must be >= 0, got " + breaktraceNs);
        if (spikes < 0) throw new IllegalArgumentException("spikes must be >= 0, got " + spikes);
        if (warmupNs < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmupNs);
    }

    public long intervalNs(int thread) {
        return intervalNs + thread * distanceNs;
    }

    /** CPU of thread t, or -1 when not pinned. */
    public int cpu(int thread) {
        return cpus.isEmpty() ? -1 : cpus.get(thread % cpus.size());
    }
}
