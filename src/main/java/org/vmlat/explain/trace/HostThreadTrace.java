package org.vmlat.explain.trace;

import org.vmlat.os.LibC;
import org.vmlat.os.OsCallException;
import org.vmlat.os.ThreadScheduling;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceLineParser;

/**
 * This machine's scheduler events about a guest's QEMU threads, recorded while the guest measures: every
 * {@code sched_switch} that takes a QEMU thread off or puts one on a CPU, and every {@code sched_wakeup} of one, on
 * all CPUs. The kernel filters them by command name ({@code CPU n/TCG}, {@code CPU n/KVM}, {@code qemu-system-*}), so
 * the stream stays small however busy the machine is; other guests' threads of the same names are told apart
 * afterwards by thread id. Bounded: at most {@link #MAX_EVENTS} events are kept, the rest counted.
 */
public final class HostThreadTrace implements AutoCloseable {
    public static final int MAX_EVENTS = 2_000_000;
    private static final String QEMU = "%s ~ \"CPU *\" || %s ~ \"qemu-system*\"";
    private static final String STOP = "vmlat-host-trace-stop";

    private final TracefsInstance instance;
    private final Thread reader;
    private final List<TraceEvent> events = new ArrayList<>();
    private volatile long dropped;
    private volatile IOException failure;

    private HostThreadTrace(TracefsInstance instance) {
        this.instance = instance;
        this.reader = new Thread(this::drain, "vmlat-host-trace-reader");
        reader.setDaemon(true);
    }

    public static HostThreadTrace start() throws TracingUnavailableException {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("sched/sched_switch", String.format(QEMU, "prev_comm", "prev_comm") + " || " + String.format(QEMU, "next_comm", "next_comm"));
        filters.put("sched/sched_wakeup", String.format(QEMU, "comm", "comm"));
        HostThreadTrace t = new HostThreadTrace(TracefsInstance.start(List.of(), 4096, filters));
        t.reader.start();
        return t;
    }

    private void drain() {
        try {
            // woken for every event, a reader at the default policy would preempt the very QEMU threads it watches
            // (seen: 13.8 ms of a guest spike's host side was this reader); SCHED_BATCH is never a wake-up preemption
            ThreadScheduling.setFor(LibC.gettid(), LibC.SCHED_BATCH, 0);
        } catch (OsCallException | UnsatisfiedLinkError e) {
            // keeps the default policy: the reader may show among the causes, named as itself
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(instance.pipe(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains(STOP)) return;
                TraceLineParser.parse(line).ifPresent(e -> {
                    synchronized (events) {
                        if (events.size() < MAX_EVENTS) events.add(e);
                        else dropped++;
                    }
                });
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** What was recorded: the events in time order, and how many were lost (ring overwritten, or past the limit). */
    public record Recording(List<TraceEvent> events, long lost) {}

    /** Stops tracing and returns the events. */
    public Recording stop() throws IOException {
        try {
            instance.mark(STOP);
        } catch (IOException e) {
            reader.interrupt();
        }
        try {
            reader.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long overruns = Math.max(0, instance.overruns());
        instance.close();
        if (failure != null) throw failure;
        synchronized (events) {
            List<TraceEvent> sorted = new ArrayList<>(events);
            // the pipe merges the CPUs' buffers in time order; a stable sort keeps ties as read
            sorted.sort((a, b) -> Long.compare(a.tsNs(), b.tsNs()));
            return new Recording(sorted, overruns + dropped);
        }
    }

    @Override
    public void close() {
        instance.close();
    }
}
