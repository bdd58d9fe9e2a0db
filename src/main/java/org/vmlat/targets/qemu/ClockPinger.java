package org.vmlat.targets.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.vmlat.targets.KernelTrace;

/**
 * Round trips to a guest over its {@code vmlat-sync} serial port, for aligning the guest's trace with this machine's
 * clock: every {@code everyMs} it sends a number and notes this machine's CLOCK_MONOTONIC (System.nanoTime) before
 * the send and after the echo; the guest's /init marks the number in its trace on receipt. One number at a time, at
 * a low rate: each round trip wakes a shell in the guest, below the probe's priority. A number not echoed within
 * {@link #ANSWER_NS} is given up and the next one sent.
 */
final class ClockPinger implements AutoCloseable {
    /**
     * How long a number waits for its echo before the next is sent: the guest's port drops what arrives between its
     * reader seeing the host absent and closing the port, and a lost number must not end the round trips.
     */
    static final long ANSWER_NS = 1_000_000_000L;

    private final Path socket;
    private final AtomicLong unanswered = new AtomicLong();
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
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            channel = ch;
            ByteBuffer in = ByteBuffer.allocate(256);
            StringBuilder line = new StringBuilder();
            for (long seq = firstSeq; !stop; seq++) {
                ByteBuffer out = ByteBuffer.wrap((seq + "\n").getBytes(StandardCharsets.US_ASCII));
                long sent = System.nanoTime();
                while (out.hasRemaining()) ch.write(out);
                String expected = Long.toString(seq);
                long giveUp = sent + ANSWER_NS;
                boolean answered = false;
                // echoes of numbers sent before (a kept guest may answer last scenario's late, or one given up on here)
                // are passed over
                while (!answered && !stop) {
                    int eol;
                    while ((eol = line.indexOf("\n")) < 0) {
                        long left = giveUp - System.nanoTime();
                        if (left <= 0 || stop) break;
                        selector.select(Math.max(1, left / 1_000_000));
                        selector.selectedKeys().clear();
                        in.clear();
                        if (ch.read(in) < 0) return;
                        line.append(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                    }
                    if (eol < 0) break;
                    String echo = line.substring(0, eol).trim();
                    line.delete(0, eol + 1);
                    answered = echo.equals(expected);
                }
                if (!answered) {
                    unanswered.incrementAndGet();
                    continue;
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

    /** Numbers sent that got no echo within {@link #ANSWER_NS}. */
    long unanswered() {
        return unanswered.get();
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
