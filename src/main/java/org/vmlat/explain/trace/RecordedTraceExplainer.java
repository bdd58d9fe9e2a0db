package org.vmlat.explain.trace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
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
