package org.vmlat.probe.builtin;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.vmlat.os.CpuList;
import org.vmlat.latency.Breaktrace;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.os.CpuDmaLatency;
import org.vmlat.os.Errno;
import org.vmlat.os.HousekeepingAffinity;
import org.vmlat.os.JitCompilerThreads;
import org.vmlat.os.SystemFactsReader;
import org.vmlat.os.LibC;
import org.vmlat.os.MemoryLock;
import org.vmlat.os.MonotonicClock;
import org.vmlat.os.NativeClock;
import org.vmlat.os.NativeSleeper;
import org.vmlat.os.OsCallException;
import org.vmlat.os.ProcessIdentity;
import org.vmlat.os.ProcessMemory;
import org.vmlat.os.Sleeper;
import org.vmlat.os.ThreadScheduling;
import org.vmlat.probe.Probe;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.ThreadStatus;

/**
 * vmlat's own probe: one platform thread per measuring thread, each pinned and put under the
 * requested policy by itself, JIT-warmed on a synthetic timeline, then released together at a
 * common start time so that all threads measure the same stretch of time.
 */
public final class BuiltinProbe implements Probe {
    public static final String ENGINE = "builtin";
    private static final long STATUS_PERIOD_NS = 1_000_000_000L;
    private static final long START_DELAY_NS = 20_000_000L;
    /**
     * Above HotSpot's Tier4InvocationThreshold (5000), so the loop is C2-compiled as a method; with
     * C1 only (./vmlat's -XX:TieredStopAtLevel=1) the loop compiles after Tier3InvocationThreshold
     * (200) invocations of 20 cycles, so 1000 leave a margin and spare most of the start-up.
     */
    private static final int WARMUP_INVOCATIONS = ManagementFactory.getRuntimeMXBean().getInputArguments()
            .contains("-XX:TieredStopAtLevel=1") ? 1_000 : 6_000;
    private static final int WARMUP_CYCLES = 20;

    /** Creates the clock and sleeper of each thread; tests substitute fakes. */
    public interface TimeSource {
        MonotonicClock clock();

        Sleeper newSleeper();

        /** Whether to touch the OS scheduler, affinity and memory locking (false for fakes). */
        boolean native_();
    }

    public static final TimeSource NATIVE = new TimeSource() {
        public MonotonicClock clock() { return MonotonicClock.SYSTEM; }
        public Sleeper newSleeper() { return new NativeSleeper(); }
        public boolean native_() { return true; }
    };

    /** The native clock and sleeper on a clock other than CLOCK_MONOTONIC: a clock per caller (each holds its timespec). */
    static TimeSource native_(ProbeSpec.Clock clock) {
        if (clock == ProbeSpec.Clock.MONOTONIC) return NATIVE;
        return new TimeSource() {
            public MonotonicClock clock() { return new NativeClock(clock.id); }
            public Sleeper newSleeper() { return new NativeSleeper(clock.id); }
            public boolean native_() { return true; }
        };
    }

    private static final com.sun.management.ThreadMXBean ALLOCATIONS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Fakes from tests; null: the native clock the spec asks for. */
    private final TimeSource fixedTime;

    public BuiltinProbe() {
        this(null);
    }

    public BuiltinProbe(TimeSource time) {
        this.fixedTime = time;
    }

    @Override
    public String engine() {
        return ENGINE;
    }

    @Override
    public String commandLine(ProbeSpec spec) {
        ProbeSpec.Setup u = spec.setup();
        return String.format(java.util.Locale.ROOT, "vmlat measure --probe builtin --policy %s -p %d -i %dns -d %dns -t %d%s -D %dns --warmup %dns%s%s",
                spec.policy().cliName(), spec.priority(), spec.intervalNs(), spec.distanceNs(), spec.threads(),
                spec.cpus().isEmpty() ? "" : " -a " + CpuList.format(spec.cpus()), spec.durationNs(), spec.warmupNs(),
                spec.mlockall() ? "" : " --no-mlockall",
                (u.priospread() ? " --priospread" : "") + (u.aligned() ? " -A " + u.alignedOffsetNs() + "ns" : "")
                        + (u.clock() != ProbeSpec.Clock.MONOTONIC ? " -c " + u.clock().cyclictestNumber() : "")
                        + (u.dmaLatencyUs() < 0 ? " --default-system" : u.dmaLatencyUs() > 0 ? " --dma-latency " + u.dmaLatencyUs() : "")
                        + (u.deepestIdleState() >= -1 ? " --deepest-idle-state " + u.deepestIdleState() : "")
                        + (u.mainCpus().isEmpty() ? "" : " --mainaffinity " + CpuList.format(u.mainCpus()))
                        + (spec.breaktraceNs() > 0 ? " -b " + spec.breaktraceNs() + "ns" + (u.tracemark() ? " --tracemark" : "") : "")
                        + (u.smi() ? " --smi" : ""));
    }

    private static final class Worker {
        final int index;
        final LatencyLoop loop;
        final LatencyLoop warmupLoop;
        final long intervalNs;
        final int cpu;
        volatile int tid;
        volatile long loopAllocatedBytes = -1;
        volatile long firstSampleUptimeMs = -1;
        volatile long firstSampleEpochMs = -1;
        volatile String setupError;
        volatile boolean setupRefused;
        volatile boolean nonRt;
        volatile Throwable failure;
        Thread thread;

        Worker(int index, LatencyLoop loop, LatencyLoop warmupLoop, long intervalNs, int cpu) {
            this.index = index;
            this.loop = loop;
            this.warmupLoop = warmupLoop;
            this.intervalNs = intervalNs;
            this.cpu = cpu;
        }
    }

    @Override
    public MeasurementResult run(ProbeSpec spec, ProbeListener listener, RunControl control) {
        TimeSource time = fixedTime != null ? fixedTime : native_(spec.setup().clock());
        String shortfall = ProbeHeap.shortfall(spec.threads(), spec.spikes(), Runtime.getRuntime().maxMemory());
        if (shortfall != null) throw new ProbeException(shortfall);
        List<String> warnings = new ArrayList<>();
        boolean realtime = spec.policy().realtime();
        MemoryLock lock = null;
        if (spec.mlockall() && time.native_()) {
            try {
                lock = MemoryLock.lockAll();
            } catch (OsCallException e) {
                String msg = RtPrivilegeException.explain("mlockall", LibC.describe(e.errno()));
                if (!spec.allowNonRt()) throw new RtPrivilegeException(msg);
                warnings.add("NON-RT: memory not locked: " + msg);
                listener.warning(warnings.get(warnings.size() - 1));
                realtime = false;
            }
        }
        Optional<CpuDmaLatency> dma = Optional.empty();
        int dmaUs = spec.setup().dmaLatencyUs();
        if (time.native_() && dmaUs >= 0) {
            StringBuilder why = new StringBuilder();
            dma = CpuDmaLatency.hold(dmaUs, why);
            if (dma.isEmpty()) warnings.add("/dev/cpu_dma_latency not held at " + dmaUs + " us (" + why + "): deep idle states may add latency");
        }
        MachineSetup machine = null;
        try {
            if (time.native_()) machine = MachineSetup.prepare(spec);
            return measure(spec, listener, control, warnings, realtime, time, machine);
        } finally {
            if (machine != null) machine.close(warnings);
            dma.ifPresent(CpuDmaLatency::close);
            if (lock != null) lock.close();
        }
    }

    private MeasurementResult measure(ProbeSpec spec, ProbeListener listener, RunControl control,
                                      List<String> warnings, boolean realtime, TimeSource time, MachineSetup machine) {
        MonotonicClock clock = time.clock();
        List<Worker> workers = new ArrayList<>();
        RunControl loopControl = new RunControl();
        for (int t = 0; t < spec.threads(); t++) {
            Sleeper sleeper = time.newSleeper();
            MonotonicClock own = time.clock();
            LatencyLoop loop = new LatencyLoop(own, sleeper, spec.intervalNs(t), spec.breaktraceNs(),
                    spec.spikes(), loopControl);
            // real activations before the start are measured by a loop of their own and dropped
            LatencyLoop warmup = new LatencyLoop(own, sleeper, spec.intervalNs(t), 0, 1, loopControl);
            workers.add(new Worker(t, loop, warmup, spec.intervalNs(t), spec.cpu(t)));
        }
        CountDownLatch ready = new CountDownLatch(workers.size());
        CountDownLatch go = new CountDownLatch(1);
        long[] startAt = new long[1];
        long[] endAt = new long[1];
        for (Worker w : workers) {
            w.thread = new Thread(() -> {
                try {
                    work(w, spec, ready, go, startAt, endAt, loopControl, time, machine);
                } catch (Throwable t) {
                    w.failure = t;
                    loopControl.requestStop(StopReason.FAILED);
                }
            }, "vmlat-probe-" + w.index);
            w.thread.setDaemon(true);
            w.thread.start();
        }
        awaitQuietly(ready);
        AheadWarmUp.await();
        awaitCompilerQuiet();
        List<String> refused = new ArrayList<>();
        for (Worker w : workers) {
            if (w.setupError != null) {
                if (w.setupRefused && spec.allowNonRt()) {
                    w.nonRt = true;
                    refused.add(w.setupError);
                } else {
                    loopControl.requestStop(StopReason.FAILED);
                    go.countDown();
                    joinAll(workers);
                    if (w.setupRefused) throw new RtPrivilegeException(w.setupError);
                    throw new ProbeException("thread " + w.index + ": " + w.setupError);
                }
            }
        }
        if (!refused.isEmpty()) {
            realtime = false;
            String msg = "NON-RT: " + refused.get(0) + " (measured at normal priority because of --allow-nonrt)";
            warnings.add(msg);
            listener.warning(msg);
        }
        if (!spec.policy().realtime()) {
            warnings.add("NON-RT: policy other requested: the threads ran at normal priority");
        }

        // the JVM's own threads go to the CPUs that do not measure, or to --mainaffinity's
        HousekeepingAffinity housekeeping = HousekeepingAffinity.apply(java.util.Set.of(), List.of(), List.of());
        if (time.native_() && (!spec.cpus().isEmpty() || !spec.setup().mainCpus().isEmpty())) {
            List<Integer> online = SystemFactsReader.live().onlineCpus();
            List<Integer> others = new ArrayList<>(online);
            others.removeAll(spec.cpus());
            if (!spec.setup().mainCpus().isEmpty()) others = spec.setup().mainCpus();
            java.util.Set<Integer> tids = new java.util.HashSet<>();
            for (Worker w : workers) tids.add(w.tid);
            housekeeping = HousekeepingAffinity.apply(tids, others, online);
        }
        if (machine != null) machine.smiStart();
        // start with an empty young generation: the set-up's garbage would otherwise trigger a
        // collection early in the measurement, when the coordinator's first allocations fill it
        if (time.native_()) System.gc();
        long gcCountBefore = gcCount(), gcTimeBefore = gcTimeMs();
        long rssBefore = ProcessMemory.rssKb();
        long warmupEnd = clock.nanoTime() + START_DELAY_NS + spec.warmupNs();
        startAt[0] = warmupEnd;
        endAt[0] = spec.durationNs() == 0 ? Long.MAX_VALUE : warmupEnd + spec.durationNs();
        long startEpochMs = System.currentTimeMillis() + (START_DELAY_NS + spec.warmupNs()) / 1_000_000;
        go.countDown();

        List<Histogram> totals = new ArrayList<>();
        List<Histogram> recycle = new ArrayList<>();
        for (int t = 0; t < workers.size(); t++) {
            totals.add(LatencyHistograms.create());
            recycle.add(null);
        }
        sleepUntil(clock, warmupEnd, control, loopControl);
        long coordinatorBefore = ALLOCATIONS.getCurrentThreadAllocatedBytes();
        listener.started(startEpochMs);
        long lastEpochMs = startEpochMs;
        while (true) {
            boolean alive = false;
            for (Worker w : workers) alive |= w.thread.isAlive();
            if (!alive) break;
            if (control.stopRequested()) loopControl.requestStop(control.stopReason());
            long now = clock.nanoTime();
            // past the end the threads are finishing their last activation: wait for them (up to a
            // status period) rather than harvest empty intervals in a loop on a busy machine
            long wakeAt = now >= endAt[0] ? now + STATUS_PERIOD_NS : Math.min(now + STATUS_PERIOD_NS, endAt[0]);
            waitForWorkers(workers, wakeAt, clock, control, loopControl);
            long nowEpochMs = System.currentTimeMillis();
            harvest(workers, totals, recycle, listener, lastEpochMs, nowEpochMs);
            lastEpochMs = nowEpochMs;
            listener.status(statuses(workers, spec));
        }
        long coordinatorAllocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - coordinatorBefore;
        joinAll(workers);
        if (machine != null) machine.smiEnd();
        housekeeping.close();
        long endEpochMs = System.currentTimeMillis();
        harvest(workers, totals, recycle, listener, lastEpochMs, endEpochMs);
        listener.status(statuses(workers, spec));

        for (Worker w : workers) {
            if (w.failure != null) {
                throw new ProbeException("measuring thread " + w.index + " failed: " + w.failure, w.failure);
            }
        }
        long gcs = gcCount() - gcCountBefore;
        if (gcs > 0) {
            warnings.add("JVM: " + gcs + " garbage collection(s) (" + (gcTimeMs() - gcTimeBefore)
                    + " ms) during the measurement: spikes may include JVM pauses");
        }
        Optional<Breaktrace> breaktrace = Optional.empty();
        StopReason reason = control.stopRequested() ? control.stopReason() : StopReason.COMPLETED;
        List<ThreadResult> results = new ArrayList<>();
        for (int t = 0; t < workers.size(); t++) {
            Worker w = workers.get(t);
            LatencyLoop l = w.loop;
            if (l.breakCycle >= 0 && (breaktrace.isEmpty() || l.breakExpectedNs < breaktrace.get().expectedNs())) {
                breaktrace = Optional.of(new Breaktrace(spec.breaktraceNs(), t, l.breakCycle, l.breakLatencyNs, l.breakExpectedNs));
                reason = StopReason.BREAKTRACE;
            }
            if (l.sleepErrno != 0) {
                warnings.add("thread " + t + ": clock_nanosleep failed: " + Errno.name(l.sleepErrno));
                reason = StopReason.FAILED;
            }
            if (l.outOfRange > 0) warnings.add("thread " + t + ": " + l.outOfRange + " latencies above 1 h were not recorded in the histogram");
            if (l.earlyWakeups > 0) warnings.add("thread " + t + ": " + l.earlyWakeups + " wake-ups before the deadline (recorded as 0)");
            long n = l.count.get();
            results.add(new ThreadResult(t, w.cpu, w.intervalNs, 1, n, n == 0 ? 0 : l.min.get(), l.max.get(),
                    l.sum.get(), l.overruns.get(), l.outOfRange, totals.get(t), l.spikes.toList()));
        }
        Map<String, String> settings = settings(spec, workers);
        if (machine != null) machine.report(settings, warnings);
        // self-diagnostics of the probe, so every result shows its own overhead
        long alloc = 0, firstSample = Long.MAX_VALUE, firstSampleEpoch = Long.MAX_VALUE;
        for (Worker w : workers) {
            alloc += Math.max(0, w.loopAllocatedBytes);
            if (w.firstSampleUptimeMs >= 0) firstSample = Math.min(firstSample, w.firstSampleUptimeMs);
            if (w.firstSampleEpochMs >= 0) firstSampleEpoch = Math.min(firstSampleEpoch, w.firstSampleEpochMs);
        }
        // from the exec of the process (the launcher script's, which execs the JVM): what a user waits
        long age = ProcessIdentity.self().ageMs();
        long execEpoch = age < 0 ? -1 : System.currentTimeMillis() - age;
        settings.put("probe.loop_allocated_bytes", Long.toString(alloc));
        settings.put("probe.jvm_start_to_first_sample_ms", firstSample == Long.MAX_VALUE ? "" : Long.toString(firstSample));
        settings.put("probe.exec_to_first_sample_ms", firstSampleEpoch == Long.MAX_VALUE || execEpoch < 0 ? ""
                : Long.toString(firstSampleEpoch - execEpoch));
        settings.put("probe.rss_kb_at_start", Long.toString(rssBefore));
        // what the status thread allocated while measuring: how fast it fills the young generation
        settings.put("probe.status_allocated_bytes_per_s", Long.toString(
                coordinatorAllocated * 1000 / Math.max(1, System.currentTimeMillis() - startEpochMs)));
        settings.put("probe.housekeeping_threads_moved", Integer.toString(housekeeping.movedThreads()));
        settings.put("probe.rss_kb_at_end", Long.toString(ProcessMemory.rssKb()));
        settings.put("probe.jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version") + " "
                + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                        .filter(a -> a.startsWith("-XX:")).toList()));
        if (alloc > 0) warnings.add("probe loop allocated " + alloc + " bytes (expected 0)");
        return new MeasurementResult(ENGINE, settings, Map.of(), realtime, results, startEpochMs, endEpochMs,
                startAt[0], reason, breaktrace, warnings);
    }

    private void work(Worker w, ProbeSpec spec, CountDownLatch ready, CountDownLatch go, long[] startAt, long[] endAt,
                      RunControl loopControl, TimeSource time, MachineSetup machine) {
        try {
            if (time.native_()) {
                w.tid = LibC.gettid();
                try {
                    if (w.cpu >= 0) ThreadScheduling.pin(w.cpu);
                } catch (OsCallException e) {
                    w.setupError = e.getMessage();
                }
                if (w.setupError == null) {
                    try {
                        ThreadScheduling.set(spec.policy(), spec.priority(w.index));
                    } catch (OsCallException e) {
                        w.setupRefused = e.errno() == Errno.EPERM;
                        w.setupError = w.setupRefused
                                ? RtPrivilegeException.explain("SCHED_" + spec.policy().name() + " priority " + spec.priority(w.index),
                                LibC.describe(e.errno()))
                                : e.getMessage();
                    }
                }
            }
            warmUpSynthetic(w.intervalNs, Math.max(1, spec.spikes()));
            // ...and on the real clock and sleeper with deadlines already past (no waiting), so the
            // native call path is linked and profiled before the first measured activation
            MonotonicClock clock = time.clock();
            LatencyLoop real = new LatencyLoop(clock, w.loop.sleeper(), w.intervalNs, 0, 1, new RunControl());
            Histogram recycled = null;
            for (int i = 0; i < WARMUP_INVOCATIONS; i++) {
                long past = clock.nanoTime() - 1_000_000_000L;
                real.measure(past, past + 1, 1);
                if (i % 64 == 0) recycled = real.recorder.getIntervalHistogram(recycled);
            }
        } finally {
            ready.countDown();
        }
        awaitQuietly(go);
        if (loopControl.stopRequested()) return;
        long first = startAt[0] - spec.warmupNs();
        long loops = spec.loops() == 0 ? Long.MAX_VALUE : spec.loops();
        long next = first + w.intervalNs + spec.alignedOffsetNs(w.index);
        if (spec.warmupNs() > 0) next = w.warmupLoop.measure(next, startAt[0], Long.MAX_VALUE);
        w.firstSampleUptimeMs = ManagementFactory.getRuntimeMXBean().getUptime();
        w.firstSampleEpochMs = System.currentTimeMillis();
        long before = ALLOCATIONS.getCurrentThreadAllocatedBytes();
        w.loop.measure(Math.max(next, startAt[0]), endAt[0], loops);
        w.loopAllocatedBytes = ALLOCATIONS.getCurrentThreadAllocatedBytes() - before;
        if (w.loop.breakCycle >= 0) {
            // first the trace, while it still holds the spike; then the other threads stop, as cyclictest's do
            if (machine != null) machine.breakHit(w.index, w.loop.breakCycle, w.loop.breakLatencyNs, spec.breaktraceNs());
            loopControl.requestStop(StopReason.BREAKTRACE);
        }
    }

    /** JIT warm-up on a synthetic timeline: compiles LatencyLoop.measure with every branch taken. */
    static void warmUpSynthetic(long intervalNs, int spikes) {
        SyntheticTimeline synthetic = new SyntheticTimeline(intervalNs);
        LatencyLoop warm = new LatencyLoop(synthetic, synthetic, intervalNs, 0, spikes, new RunControl());
        // Interval snapshots swap the recorder's histograms, whose concrete classes differ; swap
        // during warm-up too, or the compiled loop meets a new receiver class while measuring
        Histogram recycled = null;
        for (int i = 0; i < WARMUP_INVOCATIONS; i++) {
            warm.measure(i * 1000L * intervalNs, Long.MAX_VALUE, WARMUP_CYCLES);
            if (i % 64 == 0) recycled = warm.recorder.getIntervalHistogram(recycled);
        }
    }

    private static void harvest(List<Worker> workers, List<Histogram> totals, List<Histogram> recycle,
                                ProbeListener listener, long fromMs, long toMs) {
        for (int t = 0; t < workers.size(); t++) {
            Histogram h = workers.get(t).loop.recorder.getIntervalHistogram(recycle.get(t));
            recycle.set(t, h);
            totals.get(t).add(h);
            listener.interval(t, fromMs, toMs, h);
        }
    }

    private static List<ThreadStatus> statuses(List<Worker> workers, ProbeSpec spec) {
        List<ThreadStatus> out = new ArrayList<>(workers.size());
        for (Worker w : workers) {
            LatencyLoop l = w.loop;
            long n = l.count.get();
            out.add(new ThreadStatus(w.index, w.tid, w.cpu, w.nonRt ? 0 : spec.priority(w.index), w.intervalNs, n,
                    n == 0 ? 0 : l.min.get(), l.last.get(), n == 0 ? 0 : (double) l.sum.get() / n, l.max.get(),
                    l.overruns.get()));
        }
        return out;
    }

    private static Map<String, String> settings(ProbeSpec spec, List<Worker> workers) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("engine", ENGINE);
        s.put("policy", spec.policy().cliName());
        s.put("priority", Integer.toString(spec.policy().realtime() ? spec.priority() : 0));
        s.put("interval_ns", Long.toString(spec.intervalNs()));
        s.put("distance_ns", Long.toString(spec.distanceNs()));
        s.put("threads", Integer.toString(spec.threads()));
        s.put("affinity", spec.cpus().isEmpty() ? "" : CpuList.format(spec.cpus()));
        s.put("duration_ns", Long.toString(spec.durationNs()));
        s.put("loops", Long.toString(spec.loops()));
        s.put("mlockall", Boolean.toString(spec.mlockall()));
        s.put("breaktrace_ns", Long.toString(spec.breaktraceNs()));
        s.put("warmup_ns", Long.toString(spec.warmupNs()));
        s.put("clock", spec.setup().clock().linuxName());
        ProbeSpec.Setup u = spec.setup();
        if (u.priospread()) {
            StringBuilder prios = new StringBuilder();
            for (int t = 0; t < spec.threads(); t++) prios.append(t == 0 ? "" : ",").append(spec.priority(t));
            s.put("priorities", prios.toString());
        }
        if (u.aligned()) s.put("aligned_offset_ns", Long.toString(u.alignedOffsetNs()));
        s.put("dma_latency_us", u.dmaLatencyUs() < 0 ? "untouched" : Integer.toString(u.dmaLatencyUs()));
        if (u.deepestIdleState() >= -1) s.put("deepest_idle_state", Integer.toString(u.deepestIdleState()));
        if (!u.mainCpus().isEmpty()) s.put("main_affinity", CpuList.format(u.mainCpus()));
        if (u.tracemark()) s.put("tracemark", "true");
        s.put("sleep", "clock_nanosleep(TIMER_ABSTIME)");
        StringBuilder tids = new StringBuilder();
        for (Worker w : workers) tids.append(tids.length() == 0 ? "" : ",").append(w.tid);
        s.put("tids", tids.toString());
        return s;
    }

    private static void waitForWorkers(List<Worker> workers, long untilNs, MonotonicClock clock, RunControl control,
                                       RunControl loopControl) {
        // Poll in short steps so a stop request (Ctrl-C) reaches the loops promptly.
        while (true) {
            if (control.stopRequested()) loopControl.requestStop(control.stopReason());
            boolean alive = false;
            for (Worker w : workers) alive |= w.thread.isAlive();
            long left = untilNs - clock.nanoTime();
            if (!alive || left <= 0) return;
            try {
                workers.get(0).thread.join(Math.max(1, Math.min(left / 1_000_000, 50)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                loopControl.requestStop(StopReason.INTERRUPTED);
                return;
            }
        }
    }

    private static void sleepUntil(MonotonicClock clock, long deadlineNs, RunControl control, RunControl loopControl) {
        while (true) {
            if (control.stopRequested()) {
                loopControl.requestStop(control.stopReason());
                return;
            }
            long left = deadlineNs - clock.nanoTime();
            if (left <= 0) return;
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, 20_000_000L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Waits until the JIT has finished compiling what the warm-up queued (at most 3 s): code
     * installed or deoptimised while measuring showed up as spikes and as allocations in the loop.
     * Finished means every compiler thread asleep, with the total compilation time unchanged, for
     * {@value #COMPILER_IDLE_MS} ms ({@link JitCompilerThreads}): a compiler that has work but no
     * CPU is runnable, not asleep, so a loaded machine makes the wait longer, never shorter. Where
     * the compiler threads cannot be seen, the total compilation time must stay unchanged for
     * 200 ms instead (it moves in whole ms, and not while the compiler waits for a CPU).
     */
    private static void awaitCompilerQuiet() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit == null || !jit.isCompilationTimeMonitoringSupported()) return;
        JitCompilerThreads compilers = JitCompilerThreads.ofThisJvm().orElse(null);
        try {
            long quietNs = (compilers != null ? COMPILER_IDLE_MS : 200) * 1_000_000L;
            long pollMs = compilers != null ? 2 : 20;
            long deadline = System.nanoTime() + 3_000_000_000L;
            long last = jit.getTotalCompilationTime();
            long stableSince = System.nanoTime();
            while (System.nanoTime() < deadline) {
                try {
                    Thread.sleep(pollMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                long now = jit.getTotalCompilationTime();
                if (now != last || (compilers != null && !compilers.asleep())) {
                    last = now;
                    stableSince = System.nanoTime();
                } else if (System.nanoTime() - stableSince >= quietNs) {
                    // a compiler thread started during the wait is not among those watched
                    if (compilers == null || compilers.allAsleep()) return;
                    stableSince = System.nanoTime();
                }
            }
        } finally {
            if (compilers != null) compilers.close();
        }
    }

    /** How long the compiler threads must stay asleep before the measurement starts (several polls). */
    private static final long COMPILER_IDLE_MS = 10;

    private static void joinAll(List<Worker> workers) {
        for (Worker w : workers) {
            try {
                w.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, b.getCollectionCount());
        return n;
    }

    private static long gcTimeMs() {
        long n = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, b.getCollectionTime());
        return n;
    }
}
