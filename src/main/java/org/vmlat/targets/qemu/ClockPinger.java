package org.vmlat.targets.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vmlat.targets.KernelTrace;

/**
 * Round trips to a guest over its {@code vmlat-sync} serial port, for aligning the guest's trace with this machine's
 * clock: every {@code everyMs} it sends a number and notes this machine's CLOCK_MONOTONIC (System.nanoTime) before
 * the send and after the echo; the guest's /init marks the number in its trace on receipt. One number at a time, at
 * a low rate: each round trip wakes a shell in the guest, below the probe's priority.
 */
final class ClockPinger implements AutoCloseable {
    private final Path socket;
    private final long everyMs;
    private final Thread thread;
    private final List<KernelTrace.RoundTrip> trips = new ArrayList<>();
    private volatile SocketChannel channel;
    private volatile boolean stop;

    private final long firstSeq;

    private ClockPinger(Path socket, long everyMs, long firstSeq) {
        this.socket = socket;
        this.everyMs = everyMs;
        this.firstSeq = firstSeq;
        this.thread = new Thread(this::run, "vmlat-clock-pinger");
        thread.setDaemon(true);
    }

    /** @param firstSeq the first number sent; the numbers go up by one */
    static ClockPinger start(Path socket, long everyMs, long firstSeq) {
        ClockPinger p = new ClockPinger(socket, everyMs, firstSeq);
        p.thread.start();
        return p;
    }

    private void run() {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            channel = ch;
            ByteBuffer in = ByteBuffer.allocate(256);
            StringBuilder line = new StringBuilder();
            for (long seq = firstSeq; !stop; seq++) {
                ByteBuffer out = ByteBuffer.wrap((seq + "\n").getBytes(StandardCharsets.US_ASCII));
                long sent = System.nanoTime();
                while (out.hasRemaining()) ch.write(out);
                String expected = Long.toString(seq);
                // echoes of numbers sent before (a kept guest may answer last scenario's late) are passed over
                while (true) {
                    int eol;
                    while ((eol = line.indexOf("\n")) < 0) {
                        in.clear();
                        if (ch.read(in) < 0) return;
                        line.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                    }
                    String echo = line.substring(0, eol).trim();
                    line.delete(0, eol + 1);
                    if (echo.equals(expected)) break;
                }
                long received = System.nanoTime();
                synchronized (trips) {
                    trips.add(new KernelTrace.RoundTrip(seq, sent, received));
                }
                Thread.sleep(everyMs);
            }
        } catch (IOException | InterruptedException e) {
            // the guest went away or we were stopped: the round trips so far are what there is
        }
    }

    /** Stops and returns the round trips completed. */
    List<KernelTrace.RoundTrip> stop() {
        stop = true;
        close();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (trips) {
            return List.copyOf(trips);
        }
    }

    @Override
    public void close() {
        stop = true;
        thread.interrupt();
        SocketChannel ch = channel;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing only unblocks the read
            }
        }
    }
}
