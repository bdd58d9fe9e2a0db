package org.vmlat.explain.trace;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.vmlat.os.CpuList;

/**
 * A tracing instance of vmlat's own under tracefs ({@code instances/vmlat-PID}): its own ring buffer, clock and
 * events, so the global buffer and every other tracer (trace-cmd, perf, another vmlat) are left as they are.
 * The instance's clock is {@code mono}, CLOCK_MONOTONIC, the probe's clock, so trace times and the probe's
 * deadlines are one time line. Removing the instance removes its buffer.
 */
public final class TracefsInstance implements AutoCloseable {
    /** The generic events the analysis reads (no timerlat tracer or preemptirq events needed). */
    public static final List<String> EVENTS = List.of(
            "sched/sched_switch", "sched/sched_waking", "sched/sched_wakeup",
            "timer/hrtimer_start", "timer/hrtimer_expire_entry", "timer/hrtimer_expire_exit",
            "irq_vectors/local_timer_entry", "irq_vectors/local_timer_exit",
            "irq/irq_handler_entry", "irq/irq_handler_exit", "irq/softirq_entry", "irq/softirq_exit");
    private static final String PREFIX = "vmlat-";

    private final Path dir;

    private TracefsInstance(Path dir) {
        this.dir = dir;
    }

    /**
     * Where tracefs is mounted; as root it is mounted at /sys/kernel/tracing when it is not yet
     * (as trace-cmd and rtla do), otherwise an explanation of how to mount it.
     */
    public static Path root() throws TracingUnavailableException {
        Path found = mounted();
        if (found != null) return found;
        Path standard = Path.of("/sys/kernel/tracing");
        if (Files.isDirectory(standard)) {
            try {
                Process p = new ProcessBuilder("mount", "-t", "tracefs", "nodev", standard.toString())
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                p.waitFor();
            } catch (IOException e) {
                // no mount(8): the message below says what to do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            found = mounted();
            if (found != null) return found;
        }
        throw new TracingUnavailableException("tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing, as root)");
    }

    private static Path mounted() {
        for (String p : List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing")) {
            Path root = Path.of(p);
            if (Files.isDirectory(root.resolve("instances"))) return root;
        }
        return null;
    }

    /**
     * Creates and starts this process's instance: clock mono, {@code bufferKbPerCpu} of ring buffer on each
     * traced CPU, the {@link #EVENTS} on {@code cpus} (all CPUs when empty). Instances left by a vmlat that died are
     * removed first.
     */
    public static TracefsInstance start(List<Integer> cpus, int bufferKbPerCpu) throws TracingUnavailableException {
        return start(cpus, bufferKbPerCpu, (String) null);
    }

    /**
     * The same, with {@code sched_waking} and {@code sched_wakeup} kept only for tasks whose command matches
     * {@code wakeupCommGlob} (tracefs's {@code comm ~ "GLOB"} filter; null keeps all): on a busy machine the wake-ups
     * of other tasks are two thirds of the events and the analysis reads only the probe's.
     */
    public static TracefsInstance start(List<Integer> cpus, int bufferKbPerCpu, String wakeupCommGlob) throws TracingUnavailableException {
        Map<String, String> events = new LinkedHashMap<>();
        for (String e : EVENTS) {
            boolean wakeup = e.equals("sched/sched_waking") || e.equals("sched/sched_wakeup");
            events.put(e, wakeupCommGlob != null && wakeup ? "comm ~ \"" + wakeupCommGlob + "\"" : "");
        }
        return start(cpus, bufferKbPerCpu, events);
    }

    /**
     * As {@link #start(List, int)} with other events, each with its filter (tracefs's filter syntax, e.g.
     * {@code next_comm ~ "CPU *"}; empty for none): the kernel drops what does not match before it is written.
     */
    public static TracefsInstance start(List<Integer> cpus, int bufferKbPerCpu, Map<String, String> eventFilters) throws TracingUnavailableException {
        Path root = root();
        removeLeftovers(root.resolve("instances"));
        Path dir = root.resolve("instances").resolve(PREFIX + ProcessHandle.current().pid());
        try {
            if (!Files.isDirectory(dir)) Files.createDirectory(dir);
        } catch (IOException e) {
            throw new TracingUnavailableException("cannot create the tracing instance " + dir + " (" + e.getMessage() + "): tracing needs root");
        }
        TracefsInstance t = new TracefsInstance(dir);
        try {
            t.write("tracing_on", "0");
            t.write("trace_clock", "mono");
            t.write("buffer_size_kb", Integer.toString(bufferKbPerCpu));
            if (!cpus.isEmpty()) t.write("tracing_cpumask", mask(cpus));
            for (Map.Entry<String, String> e : eventFilters.entrySet()) {
                Path event = dir.resolve("events").resolve(e.getKey());
                if (!Files.exists(event.resolve("enable"))) throw new TracingUnavailableException("this kernel has no trace event " + e.getKey());
                if (!e.getValue().isEmpty()) Files.writeString(event.resolve("filter"), e.getValue());
                Files.writeString(event.resolve("enable"), "1");
            }
            t.write("tracing_on", "1");
        } catch (IOException | TracingUnavailableException e) {
            t.close();
            if (e instanceof TracingUnavailableException u) throw u;
            throw new TracingUnavailableException("cannot set up the tracing instance " + dir + ": " + e.getMessage());
        }
        return t;
    }

    /** tracing_cpumask's format: hexadecimal, comma-separated groups of 32 bits. */
    static String mask(List<Integer> cpus) {
        BigInteger m = BigInteger.ZERO;
        for (int c : cpus) m = m.setBit(c);
        String hex = m.toString(16);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i++) {
            if (i > 0 && (hex.length() - i) % 8 == 0) b.append(',');
            b.append(hex.charAt(i));
        }
        return b.toString();
    }

    public Path dir() {
        return dir;
    }

    /** The consuming reader of the instance's events in text form; a read blocks until events come. */
    public InputStream pipe() throws IOException {
        return Files.newInputStream(dir.resolve("trace_pipe"));
    }

    /**
     * Writes a line into the instance's buffer (it comes out of the pipe like an event), from whichever CPU the
     * caller is on: the kernel drops a marker written on a CPU outside {@code tracing_cpumask}, so the mask is opened
     * to every online CPU first (the line is the last one wanted: what other CPUs record from then on is not read).
     */
    public void mark(String text) throws IOException {
        try {
            write("tracing_cpumask", mask(CpuList.parse(Files.readString(Path.of("/sys/devices/system/cpu/online")).trim())));
        } catch (IOException | IllegalArgumentException e) {
            // the mask stays: the marker arrives when the caller is on a traced CPU
        }
        Files.writeString(dir.resolve("trace_marker"), text);
    }

    /** Events the ring buffer overwrote before they were read, summed over the CPUs. */
    public long overruns() {
        long sum = 0;
        try (Stream<Path> cpus = Files.list(dir.resolve("per_cpu"))) {
            for (Path c : (Iterable<Path>) cpus::iterator) {
                for (String line : Files.readAllLines(c.resolve("stats"))) {
                    if (line.startsWith("overrun:")) sum += Long.parseLong(line.substring(8).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    /** Stops tracing and removes the instance with its buffer. */
    @Override
    public void close() {
        try {
            write("tracing_on", "0");
        } catch (IOException ignored) {
            // removal below also stops it
        }
        // the kernel refuses (EBUSY) while a reader still has the pipe open: give it a moment to go
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                Files.deleteIfExists(dir);
                return;
            } catch (IOException busy) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        // still busy: the next vmlat removes it as a leftover of a process that is gone
    }

    private void write(String file, String value) throws IOException {
        Files.writeString(dir.resolve(file), value);
    }

    private static void removeLeftovers(Path instances) {
        try (Stream<Path> all = Files.list(instances)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String n = p.getFileName().toString();
                if (!n.startsWith(PREFIX)) continue;
                try {
                    long pid = Long.parseLong(n.substring(PREFIX.length()));
                    if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).isEmpty()) Files.deleteIfExists(p);
                } catch (NumberFormatException | IOException ignored) {
                    // not ours, or busy: leave it
                }
            }
        } catch (IOException ignored) {
            // nothing to clean
        }
    }
}
