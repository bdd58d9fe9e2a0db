package org.vmlat.explain.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;
import org.vmlat.explain.TraceLineParser;
import org.vmlat.explain.ExplainException;
import org.vmlat.explain.SpikeAnalyzer;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceWindow;

/**
 * Explains the late wake-ups of cyclictest in a trace recorded where it ran and read afterwards (a guest's): the
 * probe does not report its threads' ids or its intended wake-up times, so both come from the trace. Its measuring
 * threads are the {@code cyclictest} threads switched in at the kernel priority it measured with (its main thread,
 * also named cyclictest, sleeps at another priority); each wake-up's intended time is the {@code expires} of the
 * timer it armed with {@code clock_nanosleep(TIMER_ABSTIME)}, and its latency the trace's (switch-in minus expiry,
 * without the return to user space, which the trace does not see). Threads are numbered by thread id, as cyclictest
 * creates them in order.
 */
public final class RecordedTraceExplainer {
    /** cyclictest's threads keep the program's name. */
    public static final String CYCLICTEST_COMM = "cyclictest";

    private RecordedTraceExplainer() {}

    /**
     * The first of two passes over a recorded trace: which of the probe's wake-ups were late, from its timers'
     * {@code hrtimer_start} and its switch-ins alone (no window kept), so that the second pass cuts windows for the
     * worst ones only, wherever they are in the trace (the recorder's window limit would otherwise keep the first).
     */
    public static final class LateWakeups {
        private final int probeKernelPrio;
        private final long thresholdNs;
        private final Map<Integer, long[]> armed = new HashMap<>();
        private final List<long[]> late = new ArrayList<>();

        /** @param probeKernelPrio as for {@link #explain}: -1 for every cyclictest thread */
        public LateWakeups(int probeKernelPrio, long thresholdNs) {
            this.probeKernelPrio = probeKernelPrio;
            this.thresholdNs = thresholdNs;
        }

        public void accept(String line) {
            boolean start = line.contains(": hrtimer_start: ") && line.contains("function=hrtimer_wakeup");
            boolean in = !start && line.contains(": sched_switch: ") && line.contains("next_comm=" + CYCLICTEST_COMM + " ");
            if (!start && !in) return;
            TraceEvent e = TraceLineParser.parse(line).orElse(null);
            if (e == null) return;
            if (start && e.comm().equals(CYCLICTEST_COMM)) {
                armed.put(e.pid(), new long[] {e.number("expires"), e.tsNs()});
            } else if (in) {
                long[] a = armed.remove((int) e.number("next_pid"));
                if (a == null || a[1] > a[0] || e.tsNs() - a[0] < thresholdNs) return;
                if (probeKernelPrio >= 0 && e.number("next_prio") != probeKernelPrio) return;
                late.add(new long[] {e.number("next_pid"), a[0], e.tsNs() - a[0]});
            }
        }

        /** The late wake-ups seen. */
        public int count() {
            return late.size();
        }

        /** The {@code n} worst, as the recorder's filter of wanted windows. */
        public BiPredicate<Integer, Long> worst(int n) {
            List<long[]> sorted = new ArrayList<>(late);
            sorted.sort(Comparator.comparingLong((long[] l) -> l[2]).reversed());
            Set<String> keep = new HashSet<>();
            for (long[] l : sorted.subList(0, Math.min(n, sorted.size()))) keep.add(l[0] + "@" + l[1]);
            return (tid, expiresNs) -> keep.contains(tid + "@" + expiresNs);
        }
    }

    /** The recorder's settings for cyclictest: windows of wake-ups from 80 % of the threshold on (as for the builtin probe). */
    public static TraceRecorder.Settings settings(long thresholdNs) {
        TraceRecorder.Settings b = TraceRecorder.Settings.forBuiltinProbe(thresholdNs * 4 / 5);
        return new TraceRecorder.Settings(CYCLICTEST_COMM, b.detectNs(), b.keepBeforeNs(), b.keepAfterNs(), b.maxWindows(), b.maxEvents(),
                b.bufferKbPerCpu());
    }

    /**
     * @param probeKernelPrio the kernel priority of the measuring threads as sched_switch prints it (99 - rtprio for
     *                        SCHED_FIFO/RR), -1 to take every cyclictest thread
     * @param dir             where each window is kept as a text trace
     */
    public static SpikeExplainer.Outcome explain(TraceRecorder.Recording rec, int probeKernelPrio, long thresholdNs, Path dir) throws IOException {
        List<TraceWindow> measuring = new ArrayList<>();
        TreeSet<Integer> tids = new TreeSet<>();
        for (TraceWindow w : rec.windows()) {
            if (w.kernelLatencyNs() < thresholdNs) continue;
            int prio = switchInPrio(w);
            if (probeKernelPrio >= 0 && prio != probeKernelPrio) continue;
            measuring.add(w);
            tids.add(w.tid());
        }
        List<Integer> order = new ArrayList<>(tids);
        List<SpikeExplanation> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (TraceWindow w : measuring) {
            try {
                SpikeExplanation e = SpikeAnalyzer.explain(w.events(), order.indexOf(w.tid()), w.tid(), w.expiresNs(), -1);
                out.add(e.withTrace(SpikeExplainer.write(w, dir).toString()));
            } catch (ExplainException e) {
                problems.add("tid " + w.tid() + " wake-up due at " + w.expiresNs() + " ns: " + e.getMessage());
            }
        }
        if (rec.overruns() > 0) {
            problems.add(rec.overruns() + " events were dropped by the full trace ring before the end: the oldest wake-ups have no window");
        }
        if (rec.windowsRefused() > 0) problems.add(rec.windowsRefused() + " late wake-ups beyond the window limit were not kept");
        out.sort(Comparator.comparingLong(SpikeExplanation::latencyNs).reversed());
        return new SpikeExplainer.Outcome(out, problems);
    }

    /** The priority the window's thread was switched in with, -1 when the window does not show it. */
    private static int switchInPrio(TraceWindow w) {
        for (TraceEvent e : w.events()) {
            if (e.name().equals("sched_switch") && e.number("next_pid") == w.tid() && e.tsNs() - w.expiresNs() >= w.kernelLatencyNs()) {
                return (int) e.number("next_prio");
            }
        }
        return -1;
    }
}
