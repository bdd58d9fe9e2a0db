package org.vmlat.targets;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

/**
 * A kernel trace recorded where the probe ran (inside a guest) and brought back after the measurement: tracefs's
 * text lines as {@code trace} prints them, on the {@code mono} trace clock of that kernel, gzip-compressed as they
 * travelled. The recording was bounded: a ring of {@code bufferKbPerCpu} per CPU that drops its oldest events when
 * full ({@code overruns} of them), and a compressed size limit past which the text was cut.
 *
 * @param where          whose kernel it is, for messages ("guest g1")
 * @param gzipText       the text, gzip-compressed (possibly cut short at the size limit)
 * @param overruns       events the kernel's ring dropped because it was full
 * @param bufferKbPerCpu the ring's size per CPU
 * @param roundTrips     clock round trips to where the trace was recorded, each marked in the trace as
 *                       {@code vmlat-sync SEQ} on receipt: they align its clock with this machine's
 * @param hostThreads    the guest's QEMU threads on its host (thread id to name), whose scheduling explains the
 *                       guest's late timers; empty when not known
 * @param hostTrace      the trace of QEMU's threads recorded on the guest's host when that is another machine (a KVM
 *                       host reached over SSH), whose clock the round trips then name; null when the host is this
 *                       machine (the lab traces it) or was not traced
 */
public record KernelTrace(String where, byte[] gzipText, long overruns, int bufferKbPerCpu, List<RoundTrip> roundTrips,
                          Map<Integer, String> hostThreads, HostTrace hostTrace) {
    /** One round trip: the host's CLOCK_MONOTONIC before sending {@code seq} and after its echo came back. */
    public record RoundTrip(long seq, long hostSendNs, long hostRecvNs) {}

    /**
     * The guest's host's own trace: tracefs text on its {@code mono} clock (QEMU's threads' scheduler events, KVM's
     * exits), gzip-compressed, and the events its ring dropped.
     */
    public record HostTrace(String where, byte[] gzipText, long overruns) {
        public HostTrace {
            if (where == null || where.isBlank()) throw new IllegalArgumentException("where must not be blank");
            if (gzipText == null) throw new IllegalArgumentException("gzipText must not be null");
            if (overruns < 0) throw new IllegalArgumentException("overruns must be >= 0, got " + overruns);
        }

        /** Hands every line to {@code each}, in order; false when the text was cut short. */
        public boolean lines(Consumer<String> each) throws IOException {
            return KernelTrace.lines(gzipText, each);
        }
    }

    public KernelTrace(String where, byte[] gzipText, long overruns, int bufferKbPerCpu) {
        this(where, gzipText, overruns, bufferKbPerCpu, List.of(), Map.of(), null);
    }

    /** The same trace with the round trips and the threads that hosted the guest on this machine. */
    public KernelTrace withHost(List<RoundTrip> trips, Map<Integer, String> threads) {
        return new KernelTrace(where, gzipText, overruns, bufferKbPerCpu, trips, threads, null);
    }

    /** The same trace with its host's own trace, the round trips on the host's clock and QEMU's threads there. */
    public KernelTrace withHost(List<RoundTrip> trips, Map<Integer, String> threads, HostTrace host) {
        return new KernelTrace(where, gzipText, overruns, bufferKbPerCpu, trips, threads, host);
    }

    public KernelTrace {
        roundTrips = List.copyOf(roundTrips);
        hostThreads = Map.copyOf(hostThreads);
        if (where == null || where.isBlank()) throw new IllegalArgumentException("where must not be blank");
        if (gzipText == null) throw new IllegalArgumentException("gzipText must not be null");
        if (overruns < 0) throw new IllegalArgumentException("overruns must be >= 0, got " + overruns);
        if (bufferKbPerCpu < 0) throw new IllegalArgumentException("bufferKbPerCpu must be >= 0, got " + bufferKbPerCpu);
    }

    /**
     * Hands every line to {@code each}, in order, without holding the text in memory.
     *
     * @return false when the compressed text was cut short (the lines up to the cut were handed over)
     * @throws IOException when the bytes are not gzip at all
     */
    public boolean lines(Consumer<String> each) throws IOException {
        return lines(gzipText, each);
    }

    private static boolean lines(byte[] gzipText, Consumer<String> each) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(new ByteArrayInputStream(gzipText)),
                StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while (true) {
                try {
                    line = r.readLine();
                } catch (EOFException e) {
                    return false;
                }
                if (line == null) return true;
                each.accept(line);
            }
        }
    }
}
