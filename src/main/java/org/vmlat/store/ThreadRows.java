package org.vmlat.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.AbstractHistogram;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.latency.Spike;
import org.vmlat.latency.ThreadResult;
import org.vmlat.latency.ThreadSummary;

/**
 * How one thread's result is a row of {@code thread_results}: its figures, the percentiles that
 * reports read (from {@link ThreadSummary#of}, the one percentile rule), HdrHistogram's
 * compressed encoding of the histogram and the spikes as JSON.
 */
final class ThreadRows {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The columns {@link #read} expects, in order, after any the caller selects first. */
    static final String RESULT_COLUMNS = "thread, cpu, interval_ns, resolution_ns, count, min_ns, max_ns, sum_ns, overruns,"
            + " overflows, histogram, spikes_json";
    static final String PERCENTILE_COLUMNS = "p50_ns, p90_ns, p99_ns, p999_ns, p9999_ns";

    private ThreadRows() {}

    /** An INSERT of one row; {@link #bind} fills it. */
    static String insert() {
        return "INSERT INTO thread_results (scenario_id, attempt, final, " + RESULT_COLUMNS + ", " + PERCENTILE_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    }

    static void bind(PreparedStatement ins, long scenarioId, int attempt, boolean fin, ThreadResult t) throws SQLException {
        ins.setLong(1, scenarioId);
        ins.setInt(2, attempt);
        ins.setInt(3, fin ? 1 : 0);
        ins.setInt(4, t.thread());
        ins.setInt(5, t.cpu());
        ins.setLong(6, t.intervalNs());
        ins.setLong(7, t.resolutionNs());
        ins.setLong(8, t.count());
        ins.setLong(9, t.minNs());
        ins.setLong(10, t.maxNs());
        ins.setLong(11, t.sumNs());
        ins.setLong(12, t.overruns());
        ins.setLong(13, t.histogramOverflows());
        ins.setBytes(14, LatencyHistograms.encode(t.histogram()));
        ins.setString(15, spikes(t.spikes()));
        long[] p = percentiles(t);
        for (int i = 0; i < p.length; i++) ins.setLong(16 + i, p[i]);
    }

    /** The stored percentile columns of a result, in {@link #PERCENTILE_COLUMNS} order. */
    static long[] percentiles(ThreadResult t) {
        ThreadSummary s = ThreadSummary.of(t);
        return new long[] {s.p50Ns(), s.p90Ns(), s.p99Ns(), s.p999Ns(), s.p9999Ns()};
    }

    /** Reads {@link #RESULT_COLUMNS} starting at column {@code first}. */
    static ThreadResult read(ResultSet rs, int first) throws SQLException {
        int c = first;
        return new ThreadResult(rs.getInt(c), rs.getInt(c + 1), rs.getLong(c + 2), rs.getLong(c + 3), rs.getLong(c + 4),
                rs.getLong(c + 5), rs.getLong(c + 6), rs.getLong(c + 7), rs.getLong(c + 8), rs.getLong(c + 9),
                decode(rs.getBytes(c + 10)), spikes(rs.getString(c + 11)));
    }

    static AbstractHistogram decode(byte[] bytes) {
        try {
            return LatencyHistograms.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new StoreException("corrupt histogram in the store: " + e.getMessage(), e);
        }
    }

    private static String spikes(List<Spike> spikes) {
        List<long[]> l = new ArrayList<>();
        for (Spike s : spikes) l.add(new long[] {s.latencyNs(), s.cycle(), s.expectedNs()});
        try {
            return JSON.writeValueAsString(l);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Spike> spikes(String text) {
        if (text == null) return List.of();
        try {
            List<long[]> l = JSON.readValue(text, new TypeReference<List<long[]>>() {});
            List<Spike> out = new ArrayList<>();
            for (long[] a : l) out.add(new Spike(a[0], a[1], a[2]));
            return out;
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt spikes in the store: " + e.getMessage(), e);
        }
    }
}
