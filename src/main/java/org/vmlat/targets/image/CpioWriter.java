package org.vmlat.targets.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a cpio archive in the "newc" format the kernel unpacks as an initramfs. */
public final class CpioWriter implements AutoCloseable {
    private final OutputStream out;
    private long written;
    private int ino = 1;

    public CpioWriter(OutputStream out) {
        this.out = out;
    }

    public void directory(String path) throws IOException {
        directory(path, 0755);
    }

    public void directory(String path, int mode) throws IOException {
        entry(path, 0040000 | mode, new byte[0]);
    }

    public void file(String path, int mode, byte[] data) throws IOException {
        entry(path, 0100000 | mode, data);
    }

    public void symlink(String path, String target) throws IOException {
        entry(path, 0120777, target.getBytes(StandardCharsets.UTF_8));
    }

    private void entry(String path, int mode, byte[] data) throws IOException {
        byte[] name = (path + "\0").getBytes(StandardCharsets.UTF_8);
        String header = String.format("070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
                ino++, mode, 0, 0, 1, 0, data.length, 0, 0, 0, 0, name.length, 0);
        write(header.getBytes(StandardCharsets.US_ASCII));
        write(name);
        pad();
        write(data);
        pad();
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        written += b.length;
    }

    private void pad() throws IOException {
        while (written % 4 != 0) write(new byte[1]);
    }

    @Override
    public void close() throws IOException {
        entry("TRAILER!!!", 0, new byte[0]);
        out.close();
    }
}
