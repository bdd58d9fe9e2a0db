package org.vmlat.explain.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.vmlat.explain.ExplainException;
import org.vmlat.explain.SpikeAnalyzer;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceWindow;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;

/**
 * Joins what the probe measured with what the recorder cut out: each of the probe's spikes at or above the
 * threshold is found in the windows by its thread's id and its intended wake-up (the probe's deadline is the
 * {@code expires} of the timer it armed: the same CLOCK_MONOTONIC nanoseconds, an exact match), analysed, and its
 * window kept as a text trace in {@code dir}. Windows of wake-ups the probe did not keep among its worst are
 * explained with the latency the trace shows.
 */
public final class SpikeExplainer {
    /** The explanations, and the spikes that could not be explained with why. */
    public record Outcome(List<SpikeExplanation> explained, List<String> problems) {}

    private SpikeExplainer() {}

    public static Outcome explain(TraceRecorder.Recording rec, MeasurementResult result, long thresholdNs, Path dir) throws IOException {
        List<SpikeExplanation> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, TraceWindow> byKey = new HashMap<>();
        for (TraceWindow w : rec.windows()) byKey.put(w.tid() + "@" + w.expiresNs(), w);
        String[] tids = result.settings().getOrDefault("tids", "").split(",");
        Set<Integer> measuring = new HashSet<>();
        for (String t : tids) if (!t.isBlank()) measuring.add(Integer.parseInt(t.trim()));
        for (ThreadResult t : result.threads()) {
            if (t.thread() >= tids.length || tids[t.thread()].isBlank()) continue;
            int tid = Integer.parseInt(tids[t.thread()].trim());
            for (Spike s : t.spikes()) {
                if (s.latencyNs() < thresholdNs || s.expectedNs() < 0) continue;
                TraceWindow w = byKey.remove(tid + "@" + s.expectedNs());
                if (w == null) {
                    problems.add("T" + t.thread() + " spike of " + s.latencyNs() / 1000 + " us at " + s.expectedNs()
                            + " ns: no trace window: the kernel switched the thread in early enough, so the time was lost after the "
                            + "switch-in, in user space (a JVM pause: see the warnings), or the window limit was reached");
                    continue;
                }
                explainOne(w, t.thread(), s.latencyNs(), dir, out, problems);
            }
        }
        for (TraceWindow w : rec.windows()) {
            // wake-ups of the measuring threads beyond the probe's worst N (warm-up threads are not the measurement)
            if (byKey.containsKey(w.tid() + "@" + w.expiresNs()) && measuring.contains(w.tid()) && w.kernelLatencyNs() >= thresholdNs) {
                explainOne(w, threadOf(tids, w.tid()), -1, dir, out, problems);
            }
        }
        if (rec.overruns() > 0) problems.add(rec.overruns() + " events were overwritten in the ring buffer before they were read");
        if (rec.windowsRefused() > 0) problems.add(rec.windowsRefused() + " late wake-ups beyond the window limit were not kept");
        out.sort(Comparator.comparingLong(SpikeExplanation::latencyNs).reversed());
        return new Outcome(out, problems);
    }

    private static int threadOf(String[] tids, int tid) {
        for (int i = 0; i < tids.length; i++) if (tids[i].trim().equals(Integer.toString(tid))) return i;
        return -1;
    }

    private static void explainOne(TraceWindow w, int thread, long measuredNs, Path dir, List<SpikeExplanation> out, List<String> problems)
            throws IOException {
        if (w.lostEvents() > 0) {
            problems.add("tid " + w.tid() + " wake-up due at " + w.expiresNs() + " ns: " + w.lostEvents() + " events were lost while its window "
                    + "was open (the reader fell behind): what ran is named from the lines that remain and may miss a context");
        }
        try {
            SpikeExplanation e = SpikeAnalyzer.explain(w.events(), thread, w.tid(), w.expiresNs(), measuredNs);
            out.add(e.withTrace(write(w, dir).toString()));
        } catch (ExplainException e) {
            problems.add("tid " + w.tid() + " wake-up due at " + w.expiresNs() + " ns: " + e.getMessage());
        }
    }

    /** The window as tracefs text, with a header saying what it holds; {@code trace-cmd report} prints the same lines. */
    static Path write(TraceWindow w, Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("spike-" + w.tid() + "-" + w.expiresNs() + ".trace");
        StringBuilder b = new StringBuilder();
        b.append("# vmlat explain: wake-up of thread ").append(w.tid()).append(" due at ").append(w.expiresNs())
                .append(" ns (CLOCK_MONOTONIC, trace_clock mono); switched in ").append(w.kernelLatencyNs()).append(" ns late\n");
        b.append("# first the last task switch on each traced CPU before the window (who was running), then the window");
        b.append(w.lostEvents() > 0 ? "; " + w.lostEvents() + " events were lost while it was open\n" : "\n");
        for (TraceEvent e : w.events()) b.append(e.line()).append('\n');
        Files.writeString(file, b);
        return file;
    }
}
