package org.vmlat.os;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * cyclictest's {@code --tracemark}: {@code trace_marker} and {@code tracing_on} of a tracefs
 * directory, opened before measuring so that the spike costs two writes and no lookup. {@link #mark}
 * writes the message into the trace and then stops it (0 into {@code tracing_on}), so the trace that
 * trace-cmd or a user left running ends at the spike instead of overwriting it.
 */
public final class TraceMarker implements AutoCloseable {
    private final Path dir;
    private final FileOutputStream marker;
    private final FileOutputStream tracingOn;

    private TraceMarker(Path dir, FileOutputStream marker, FileOutputStream tracingOn) {
        this.dir = dir;
        this.marker = marker;
        this.tracingOn = tracingOn;
    }

    /** The tracefs root as cyclictest looks for it (/sys/kernel/tracing, then debugfs's tracing). */
    public static Path tracefs() throws IOException {
        for (String p : List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing")) {
            Path root = Path.of(p);
            if (Files.exists(root.resolve("trace_marker"))) return root;
        }
        throw new IOException("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing, as root)");
    }

    /** @param dir the tracefs root or one of its instances */
    public static TraceMarker open(Path dir) throws IOException {
        FileOutputStream m = new FileOutputStream(dir.resolve("trace_marker").toFile());
        try {
            return new TraceMarker(dir, m, new FileOutputStream(dir.resolve("tracing_on").toFile()));
        } catch (IOException e) {
            m.close();
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    /** Writes the message into the trace, then stops tracing. */
    public void mark(String message) throws IOException {
        marker.write(message.getBytes(StandardCharsets.UTF_8));
        marker.flush();
        tracingOn.write('0');
        tracingOn.flush();
    }

    @Override
    public void close() {
        try {
            marker.close();
        } catch (IOException e) {
            // nothing was written since the mark; closing cannot lose it
        }
        try {
            tracingOn.close();
        } catch (IOException e) {
            // as above
        }
    }
}
