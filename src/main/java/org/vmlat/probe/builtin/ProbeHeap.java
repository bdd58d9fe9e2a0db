package org.vmlat.probe.builtin;

import org.vmlat.latency.LatencyHistograms;

/**
 * The Java heap a builtin measurement needs at its peak, so the JVM can be started small (what
 * is committed is pre-touched and locked, hence resident) and a wide measurement is refused with
 * a clear message rather than failing with OutOfMemoryError after its set-up.
 *
 * <p>Everything the probe keeps is bounded: per thread, fixed-range histograms and a spike table
 * of {@code --spikes} entries. The peak is the JIT warm-up, when every thread holds all its loops
 * at once.
 */
public final class ProbeHeap {
    /** vmlat's own objects beside the probe's tables: the command model, the result and its JSON. */
    static final long BASE_BYTES = 8L << 20;
    /**
     * Histograms alive per thread at the peak: the measuring loop's recorder (2), the discarded
     * warm-up activations' (2), the synthetic JIT warm-up's (2 + 1 recycled), the real-clock
     * warm-up's (2 + 1 recycled), the thread's total and its recycled interval (2).
     */
    static final int HISTOGRAMS_PER_THREAD = 12;
    /** Spike tables per thread: the measuring loop's and the JIT warm-up's (the others hold 1). */
    static final int SPIKE_TABLES_PER_THREAD = 2;
    /** A spike: its latency, cycle and expected wake-up, one long each. */
    private static final long SPIKE_BYTES = 3 * Long.BYTES;
    private static final long HISTOGRAM_BYTES = LatencyHistograms.create().getEstimatedFootprintInBytes();
    /** Fixed per-thread objects beside the tables (loops, counters, timespecs, thread), generously. */
    private static final long THREAD_OBJECTS_BYTES = 64 << 10;

    private ProbeHeap() {}

    public static long bytesNeeded(int threads, int spikes) {
        long perThread = HISTOGRAMS_PER_THREAD * HISTOGRAM_BYTES
                + SPIKE_TABLES_PER_THREAD * (long) Math.max(1, spikes) * SPIKE_BYTES + THREAD_OBJECTS_BYTES;
        return BASE_BYTES + threads * perThread;
    }

    /** The refusal when this JVM's maximum heap is below the need, else null. */
    static String shortfall(int threads, int spikes, long maxHeapBytes) {
        long need = bytesNeeded(threads, spikes);
        if (need <= maxHeapBytes) return null;
        long mib = 1 << 20;
        return threads + " measuring thread(s) keeping " + spikes + " spikes each need about " + (need + mib - 1) / mib
                + " MiB of Java heap, and this JVM may use " + maxHeapBytes / mib + " MiB: give it more with VMLAT_JAVA_OPTS=-Xmx"
                + ((need * 11 / 10) + mib - 1) / mib + "m (./vmlat passes it on), or use fewer threads or --spikes";
    }
}
