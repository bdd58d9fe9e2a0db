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
 * @param setup           how the threads start and what the machine is held at while they measure
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
        long histogramMaxNs,
        Setup setup) {

    /** A spec with cyclictest's setup defaults ({@link Setup#DEFAULT}). */
    public ProbeSpec(SchedPolicy policy, int priority, long intervalNs, long distanceNs, int threads, List<Integer> cpus,
                     long durationNs, long loops, boolean mlockall, long breaktraceNs, boolean allowNonRt, int spikes,
                     long warmupNs, long histogramMaxNs) {
        this(policy, priority, intervalNs, distanceNs, threads, cpus, durationNs, loops, mlockall, breaktraceNs, allowNonRt,
                spikes, warmupNs, histogramMaxNs, Setup.DEFAULT);
    }

    /** The clock the deadlines are on ({@code -c}: 0 monotonic, 1 realtime, as cyclictest numbers them). */
    public enum Clock {
        MONOTONIC(1), REALTIME(0);

        /** The Linux clock id. */
        public final int id;

        Clock(int id) {
            this.id = id;
        }

        /** cyclictest's {@code -c} number. */
        public int cyclictestNumber() {
            return ordinal();
        }

        public String linuxName() {
            return "CLOCK_" + name();
        }
    }

    /**
     * What cyclictest sets up besides the loop itself, with cyclictest's meanings and defaults.
     *
     * @param priospread       thread N runs at priority {@code priority - N} ({@code --priospread});
     *                         otherwise every thread has the same priority, as cyclictest 2.x does
     * @param alignedOffsetNs  -1: each thread starts on its own; otherwise all threads start from one
     *                         common time and thread N's deadlines are offset by N times this
     *                         ({@code -A/--aligned[=USEC]})
     * @param clock            the clock of the deadlines ({@code -c})
     * @param dmaLatencyUs     value held in /dev/cpu_dma_latency while measuring, -1 for none
     *                         ({@code --latency}/{@code --dma-latency}, default 0;
     *                         {@code --default-system}: none)
     * @param deepestIdleState -2: idle states untouched; otherwise the deeper states of the measuring
     *                         CPUs are disabled while measuring, -1 disabling them all
     *                         ({@code --deepest-idle-state})
     * @param mainCpus         CPUs for everything of the process that does not measure
     *                         ({@code --mainaffinity}); empty: the CPUs that do not measure
     * @param tracemark        on a {@code -b} hit, write a mark into the kernel trace and stop it
     *                         ({@code --tracemark})
     * @param smi              count system management interrupts on the measuring CPUs ({@code --smi})
     * @param cyclictestArgs   further cyclictest options, appended as given; the builtin probe has no
     *                         use for them (a lab plan's {@code cyclictest_args})
     */
    public record Setup(boolean priospread, long alignedOffsetNs, Clock clock, int dmaLatencyUs, int deepestIdleState,
                        List<Integer> mainCpus, boolean tracemark, boolean smi, List<String> cyclictestArgs) {
        public static final Setup DEFAULT = new Setup(false, -1, Clock.MONOTONIC, 0, -2, List.of(), false, false);

        /** A setup without further cyclictest options. */
        public Setup(boolean priospread, long alignedOffsetNs, Clock clock, int dmaLatencyUs, int deepestIdleState,
                     List<Integer> mainCpus, boolean tracemark, boolean smi) {
            this(priospread, alignedOffsetNs, clock, dmaLatencyUs, deepestIdleState, mainCpus, tracemark, smi, List.of());
        }

        public Setup {
            mainCpus = List.copyOf(mainCpus);
            cyclictestArgs = List.copyOf(cyclictestArgs);
            if (alignedOffsetNs < -1) throw new IllegalArgumentException("aligned offset must be >= 0 or -1 (off), got " + alignedOffsetNs);
            if (dmaLatencyUs < -1) throw new IllegalArgumentException("dma latency must be >= 0 us or -1 (none), got " + dmaLatencyUs);
            if (deepestIdleState < -2) throw new IllegalArgumentException("deepest idle state must be >= -1 or -2 (untouched), got " + deepestIdleState);
        }

        public boolean aligned() {
            return alignedOffsetNs >= 0;
        }
    }

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
        if (setup.priospread() && policy.realtime() && priority - (threads - 1) < 1) {
            throw new IllegalArgumentException("priority spread from " + priority + " over " + threads
                    + " threads goes below 1: start at " + threads + " or higher");
        }
    }

    /** Priority of thread t: the same for all, or one lower per thread with {@code --priospread}. */
    public int priority(int thread) {
        if (!policy.realtime()) return 0;
        return setup.priospread() ? priority - thread : priority;
    }

    /** Offset of thread t's deadlines from the common start when aligned, else 0. */
    public long alignedOffsetNs(int thread) {
        return setup.aligned() ? thread * setup.alignedOffsetNs() : 0;
    }

    public long intervalNs(int thread) {
        return intervalNs + thread * distanceNs;
    }

    /** CPU of thread t, or -1 when not pinned. */
    public int cpu(int thread) {
        return cpus.isEmpty() ? -1 : cpus.get(thread % cpus.size());
    }
}
