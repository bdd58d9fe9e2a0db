package org.vmlat.os;

import java.io.FileOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Holds {@code /dev/cpu_dma_latency} at a target (0 us) while open, keeping CPUs out of deep idle
 * states, as cyclictest does by default; the kernel drops the request when the file is closed.
 */
public final class CpuDmaLatency implements AutoCloseable {
    private final FileOutputStream out;

    private CpuDmaLatency(FileOutputStream out) {
        this.out = out;
    }

    /** @return the held request, or empty when the file cannot be opened (reason in the exception) */
    public static Optional<CpuDmaLatency> hold(int microseconds, StringBuilder whyNot) {
        try {
            FileOutputStream out = new FileOutputStream("/dev/cpu_dma_latency");
            // the kernel reads a binary 32-bit value in host byte order (little-endian on x86)
            out.write(new byte[] {(byte) microseconds, (byte) (microseconds >> 8), (byte) (microseconds >> 16),
                    (byte) (microseconds >> 24)});
            out.flush();
            return Optional.of(new CpuDmaLatency(out));
        } catch (IOException e) {
            whyNot.append(e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // closing releases the request in the kernel whatever the stream reports
        }
    }
}
