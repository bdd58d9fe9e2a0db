package org.vmlat.targets.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vmlat.probe.ProbeException;

/**
 * The two-way line channel to a guest that serves scenarios: QEMU's socket chardev behind the
 * guest's virtio-serial port "vmlat". The host writes one command line per scenario; what the
 * guest writes back is collected by a reader thread, and {@link #begin} forgets what came before,
 * so one scenario's result is never read as the next one's.
 */
final class GuestChannel implements AutoCloseable {
    private final SocketChannel socket;
    private final StringBuilder received = new StringBuilder();
    private final Thread reader;
    private volatile boolean closed;

    private GuestChannel(SocketChannel socket, String name) {
        this.socket = socket;
        this.reader = new Thread(this::read, "vmlat-guest-channel-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to QEMU's socket once QEMU has made it, within {@code timeoutMs}; gives up when {@code qemu} ends. */
    static GuestChannel connect(Path socketFile, String name, long timeoutMs, QemuHost.RunningQemu qemu) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        IOException last = null;
        while (System.currentTimeMillis() < end) {
            if (!qemu.alive()) throw new ProbeException("QEMU exited before its channel socket was there: " + qemu.failure());
            if (Files.exists(socketFile)) {
                try {
                    SocketChannel s = SocketChannel.open(StandardProtocolFamily.UNIX);
                    try {
                        s.connect(UnixDomainSocketAddress.of(socketFile));
                        return new GuestChannel(s, name);
                    } catch (IOException e) {
                        s.close();
                        throw e;
                    }
                } catch (IOException e) {
                    last = e;
                }
            }
            Thread.sleep(20);
        }
        throw new ProbeException("QEMU's channel socket " + socketFile + " did not accept a connection within " + timeoutMs / 1000 + " s"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private void read() {
        ByteBuffer b = ByteBuffer.allocate(1 << 16);
        try {
            while (socket.read(b) >= 0) {
                b.flip();
                String s = StandardCharsets.ISO_8859_1.decode(b).toString();
                synchronized (received) {
                    received.append(s);
                }
                b.clear();
            }
        } catch (IOException e) {
            // closed by close() or by QEMU's end: whoever waits sees QEMU gone
        }
        closed = true;
    }

    /** Forgets what the guest sent so far: what comes next answers the next command. */
    void begin() {
        synchronized (received) {
            received.setLength(0);
        }
    }

    /** Sends one command line to the guest. */
    void send(String line) {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.ISO_8859_1));
        try {
            while (b.hasRemaining()) socket.write(b);
        } catch (IOException e) {
            throw new ProbeException("cannot send to the guest: " + e.getMessage(), e);
        }
    }

    boolean contains(String text) {
        synchronized (received) {
            return received.indexOf(text) >= 0;
        }
    }

    /** What the guest sent since {@link #begin}. */
    String text() {
        synchronized (received) {
            return received.toString();
        }
    }

    /** Whether the connection ended (QEMU exited or closed it). */
    boolean ended() {
        return closed;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing more to send or read
        }
    }
}
