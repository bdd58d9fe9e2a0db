package org.vmlat.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.vmlat.latency.Durations;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ThreadStatus;
import org.vmlat.report.IntervalLogWriter;
import org.vmlat.report.LatencyUnit;

/**
 * What {@code measure} shows while it runs: status in cyclictest's T: layout, redrawn in place at
 * most once a second; warnings on stderr; each interval histogram into the interval log, if any.
 */
final class LiveStatus implements ProbeListener {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean live;
    private final IntervalLogWriter log;
    private final LatencyUnit unit;
    private int drawn;

    LiveStatus(PrintWriter out, PrintWriter err, boolean live, IntervalLogWriter log) {
        this(out, err, live, log, LatencyUnit.US);
    }

    LiveStatus(PrintWriter out, PrintWriter err, boolean live, IntervalLogWriter log, LatencyUnit unit) {
        this.unit = unit;
        this.out = out;
        this.err = err;
        this.live = live;
        this.log = log;
    }

    @Override
    public void started(long startEpochMs) {
        if (log != null) log.start(startEpochMs);
    }

    @Override
    public void status(List<ThreadStatus> threads) {
        if (!live) return;
        StringBuilder sb = new StringBuilder();
        if (drawn > 0) sb.append("\u001B[").append(drawn).append('A');
        for (ThreadStatus t : threads) {
            sb.append(String.format(Locale.ROOT, "T:%2d (%6d) P:%2d I:%s C:%9d Min:%8s Act:%8s Avg:%8s Max:%9s%s\u001B[K%n",
                    t.thread(), t.tid(), t.priority(), Durations.format(t.intervalNs()), t.count(),
                    unit.of(t.minNs()), unit.of(t.lastNs()), unit.of(t.meanNs()), unit.of(t.maxNs()),
                    t.overruns() > 0 ? " Overruns:" + t.overruns() : ""));
        }
        drawn = threads.size();
        out.print(sb);
        out.flush();
    }

    /** Leaves the redrawn block so the summary starts below it. */
    void clear() {
        if (live && drawn > 0) out.println();
    }

    @Override
    public void interval(int thread, long startEpochMs, long endEpochMs, Histogram samples) {
        if (log != null) log.interval("T" + thread, startEpochMs, endEpochMs, samples);
    }

    @Override
    public void warning(String message) {
        err.println("vmlat: warning: " + message);
        err.flush();
    }
}
