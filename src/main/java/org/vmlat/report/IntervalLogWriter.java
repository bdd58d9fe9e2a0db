package org.vmlat.report;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.ThreadResult;

/**
 * vmlat's HdrHistogram interval logs (readable by HistogramLogProcessor and HistogramLogReader),
 * for {@code measure --hlog} and {@code runs export --format hlog}: a comment saying what the
 * log holds, the log format version, start and base time, the legend, then one tagged interval
 * histogram per line, values in ns. HdrHistogram writes the start time's date in the JVM's
 * time zone; every number is written in Locale.US.
 */
public final class IntervalLogWriter implements AutoCloseable {
    private final PrintStream stream;
    private final HistogramLogWriter writer;
    private boolean started;
    private int intervals;

    public IntervalLogWriter(OutputStream out, String comment) {
        stream = new PrintStream(out, false, StandardCharsets.US_ASCII);
        writer = new HistogramLogWriter(stream);
        writer.outputComment(comment);
        writer.outputLogFormatVersion();
    }

    /** Times of later intervals are written relative to {@code epochMs}. Only the first call counts. */
    public void start(long epochMs) {
        if (started) return;
        started = true;
        writer.setBaseTime(epochMs);
        writer.outputStartTime(epochMs);
        writer.outputBaseTime(epochMs);
        writer.outputLegend();
    }

    /**
     * One interval: {@code h} gets this tag and these times (so pass a copy when it must stay as
     * it is). Starts the log at {@code fromMs} if nothing started it.
     */
    public void interval(String tag, long fromMs, long toMs, AbstractHistogram h) {
        start(fromMs);
        h.setStartTimeStamp(fromMs);
        h.setEndTimeStamp(toMs);
        h.setTag(tag);
        writer.outputIntervalHistogram(h);
        intervals++;
    }

    /** How many intervals were written so far. */
    public int intervals() {
        return intervals;
    }

    /**
     * For an engine that keeps no per-second intervals (cyclictest): one interval per thread
     * covering the whole run, said so in a comment. Returns the samples left out (those beyond the
     * histogram's range, which only count/min/max/mean hold).
     */
    public long wholeRun(MeasurementResult r) {
        writer.outputComment("no per-second intervals from " + r.engine() + ": one interval per thread covering the whole run");
        long left = 0;
        for (ThreadResult t : r.threads()) {
            Histogram h = LatencyHistograms.create();
            h.add(t.histogram());
            interval("T" + t.thread(), r.startEpochMs(), r.endEpochMs(), h);
            left += t.histogramOverflows();
        }
        return left;
    }

    @Override
    public void close() {
        stream.flush();
        stream.close();
    }
}
