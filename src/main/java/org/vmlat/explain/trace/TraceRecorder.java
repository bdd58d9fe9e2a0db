package org.vmlat.explain.trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceLineParser;
import org.vmlat.explain.TraceWindow;
import org.vmlat.os.OsCallException;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.ThreadScheduling;

/**
 * Records kernel events beside a running probe and cuts out the window of each late wake-up.
 *
 * <p>The kernel keeps the events in the instance's per-CPU ring buffer (bounded); a reader thread drains it through
 * {@code trace_pipe} into a fixed ring of lines in memory ({@link LineRing}, no allocation per line) that reaches
 * back to the moment the probe threads last armed their timers. The recorder follows the probe threads by their command name: when one is switched in later than
 * {@code detectNs} after its timer's expiry, the events from before that timer was armed to shortly after the
 * switch-in are kept as a {@link TraceWindow}. The probe's loop is not touched: it neither knows nor waits for the
 * recorder. Timers armed after their expiry (the probe's warm-up catching up) are not wake-ups the probe measures
 * and are ignored.
 */
public final class TraceRecorder implements AutoCloseable {
    /** Recorder settings. {@code keepBeforeNs}: how much to keep before the timer was armed. */
    public record Settings(String probeCommPrefix, long detectNs, long keepBeforeNs, long keepAfterNs, int maxWindows,
                           int maxEvents, int bufferKbPerCpu) {
        public Settings {
            if (probeCommPrefix == null || probeCommPrefix.isEmpty()) throw new IllegalArgumentException("probeCommPrefix must not be empty");
            if (detectNs <= 0) throw new IllegalArgumentException("detectNs must be > 0, got " + detectNs);
            if (keepBeforeNs < 0 || keepAfterNs < 0) throw new IllegalArgumentException("keepBeforeNs and keepAfterNs must be >= 0");
            if (maxWindows < 1) throw new IllegalArgumentException("maxWindows must be >= 1, got " + maxWindows);
            if (maxEvents < 1000) throw new IllegalArgumentException("maxEvents must be >= 1000, got " + maxEvents);
            if (bufferKbPerCpu < 64) throw new IllegalArgumentException("bufferKbPerCpu must be >= 64, got " + bufferKbPerCpu);
        }

        /** vmlat's builtin probe, whose threads are named vmlat-probe-N. */
        public static Settings forBuiltinProbe(long detectNs) {
            return new Settings("vmlat-probe-", detectNs, 200_000, 200_000, 200, 100_000, 4096);
        }
    }

    /** What was recorded: the windows, events overwritten before they were read, events dropped from memory. */
    public record Recording(List<TraceWindow> windows, long overruns, long eventsRead, int windowsRefused) {}

    private static final String STOP = "vmlat-explain-stop";
    /** A timer not followed by its thread's switch-in this long after expiry no longer holds lines back (its thread
     *  may have ended: the probe's warm-up). */
    private static final long STALE_NS = 200_000_000L;
    private static final byte[] STOP_BYTES = STOP.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HRTIMER_START = ": hrtimer_start: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WAKEUP_FUNCTION = "function=hrtimer_wakeup".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SCHED_SWITCH = ": sched_switch: ".getBytes(StandardCharsets.US_ASCII);

    private final Settings settings;
    /** Which late wake-ups (thread id, expiry) to cut a window for: all, live; offline, the worst ones a first pass chose. */
    private final BiPredicate<Integer, Long> wanted;
    private final TracefsInstance instance;
    private final Thread reader;
    private final LineRing recent;
    private final byte[] nextProbe;
    private final Map<Integer, Armed> armed = new HashMap<>();
    /** Per CPU, its last sched_switch line (who runs there now) and its time, 0 before the first: copied, not allocated. */
    private final byte[][] lastSwitch = new byte[Math.max(64, Runtime.getRuntime().availableProcessors())][512];
    private final int[] lastSwitchLen = new int[lastSwitch.length];
    private final long[] lastSwitchNs = new long[lastSwitch.length];
    /** Events tracefs reported lost so far; a window open while the count grew has a hole. */
    private long lost;
    private final List<Pending> pending = new ArrayList<>();
    private final List<TraceWindow> windows = new ArrayList<>();
    private volatile long eventsRead;
    private volatile int refused;
    private volatile IOException failure;
    /** A CPU that is not traced, for the reader; -1 when every CPU is traced. */
    private volatile int readerCpu = -1;

    /** {@code context}: each CPU's last task switch when the timer was armed. */
    private record Armed(long expiresNs, long atNs, List<String> context, long lostBefore) {}

    private record Pending(int tid, long expiresNs, long kernelNs, List<String> context, long fromNs, long untilNs, long lostBefore) {}

    TraceRecorder(Settings settings, TracefsInstance instance) {
        this(settings, instance, (tid, expiresNs) -> true);
    }

    private TraceRecorder(Settings settings, TracefsInstance instance, BiPredicate<Integer, Long> wanted) {
        this.wanted = wanted;
        this.settings = settings;
        this.instance = instance;
        this.recent = new LineRing(settings.maxEvents() * 160, settings.maxEvents());
        this.nextProbe = ("next_comm=" + settings.probeCommPrefix()).getBytes(StandardCharsets.UTF_8);
        this.reader = new Thread(this::drain, "vmlat-trace-reader");
        reader.setDaemon(true);
    }

    /** Starts tracing {@code cpus} (all when empty) and the reader. */
    public static TraceRecorder start(Settings settings, List<Integer> cpus) throws TracingUnavailableException {
        TracefsInstance instance = TracefsInstance.start(cpus, settings.bufferKbPerCpu(), settings.probeCommPrefix() + "*");
        TraceRecorder r = new TraceRecorder(settings, instance);
        for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors() && !cpus.isEmpty(); cpu++) {
            if (!cpus.contains(cpu)) {
                r.readerCpu = cpu;
                break;
            }
        }
        r.reader.start();
        return r;
    }

    public TracefsInstance instance() {
        return instance;
    }

    /**
     * Reads the pipe into fixed buffers: no allocation per line but for the few lines about the probe's threads. When
     * a CPU is left untraced the reader runs there at SCHED_FIFO 1: on a loaded machine an ordinary thread falls
     * behind and the kernel overwrites what it has not read; at 1 it still yields to every real-time task. On a traced
     * CPU it would trace itself (each read is a wake-up and a switch there), so it stays ordinary when all are traced.
     */
    private void drain() {
        if (readerCpu >= 0) {
            try {
                ThreadScheduling.pin(readerCpu);
                ThreadScheduling.set(SchedPolicy.FIFO, 1);
            } catch (OsCallException e) {
                // stays as it is: events it cannot keep up with are counted and reported as lost
            }
        }
        byte[] buf = new byte[1 << 16];
        byte[] line = new byte[1 << 12];
        int lineLen = 0;
        try (InputStream in = instance.pipe()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (c != '\n') {
                        if (lineLen < line.length) line[lineLen++] = c;
                        continue;
                    }
                    if (TraceBytes.contains(line, 0, lineLen, STOP_BYTES)) return;
                    accept(line, 0, lineLen);
                    lineLen = 0;
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** One line, in time order: keep it, follow the probe's timers and switch-ins, cut the windows that are complete. */
    synchronized void accept(byte[] b, int off, int len) {
        long ts = TraceBytes.timestampNs(b, off, len);
        if (ts < 0) {
            lost += TraceBytes.lost(b, off, len);
            return;
        }
        eventsRead++;
        recent.append(b, off, len, ts);
        boolean start = TraceBytes.contains(b, off, len, HRTIMER_START) && TraceBytes.contains(b, off, len, WAKEUP_FUNCTION);
        boolean switched = !start && TraceBytes.contains(b, off, len, SCHED_SWITCH);
        if (switched) {
            int cpu = TraceBytes.cpu(b, off, len);
            if (cpu >= 0 && cpu < lastSwitch.length && len <= lastSwitch[cpu].length) {
                System.arraycopy(b, off, lastSwitch[cpu], 0, len);
                lastSwitchLen[cpu] = len;
                lastSwitchNs[cpu] = ts;
            }
        }
        boolean in = switched && TraceBytes.contains(b, off, len, nextProbe);
        if (start || in) {
            Optional<TraceEvent> parsed = TraceLineParser.parse(new String(b, off, len, StandardCharsets.UTF_8));
            if (parsed.isPresent()) follow(parsed.get());
        }
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (ts > p.untilNs()) {
                cut(p);
                it.remove();
            }
        }
        long keepFrom = ts - settings.keepBeforeNs();
        for (Iterator<Armed> it = armed.values().iterator(); it.hasNext(); ) {
            Armed a = it.next();
            if (ts - a.expiresNs() > STALE_NS) it.remove();
            else keepFrom = Math.min(keepFrom, a.atNs() - settings.keepBeforeNs());
        }
        for (Pending p : pending) keepFrom = Math.min(keepFrom, p.fromNs());
        recent.dropBefore(keepFrom);
    }

    private void follow(TraceEvent e) {
        if (e.name().equals("hrtimer_start") && e.comm().startsWith(settings.probeCommPrefix())) {
            // who runs on each CPU now: a switch long before the window would otherwise be gone when it is cut
            List<String> context = new ArrayList<>();
            for (int cpu = 0; cpu < lastSwitch.length; cpu++) {
                if (lastSwitchNs[cpu] > 0 && lastSwitchNs[cpu] < e.tsNs() - settings.keepBeforeNs()) {
                    context.add(new String(lastSwitch[cpu], 0, lastSwitchLen[cpu], StandardCharsets.UTF_8));
                }
            }
            armed.put(e.pid(), new Armed(e.number("expires"), e.tsNs(), context, lost));
        } else if (e.name().equals("sched_switch") && e.field("next_comm").startsWith(settings.probeCommPrefix())) {
            int tid = (int) e.number("next_pid");
            Armed a = armed.remove(tid);
            if (a != null && a.atNs() <= a.expiresNs() && e.tsNs() - a.expiresNs() >= settings.detectNs() && wanted.test(tid, a.expiresNs())) {
                if (windows.size() + pending.size() < settings.maxWindows()) {
                    pending.add(new Pending(tid, a.expiresNs(), e.tsNs() - a.expiresNs(), a.context(), a.atNs() - settings.keepBeforeNs(),
                            e.tsNs() + settings.keepAfterNs(), a.lostBefore()));
                } else {
                    refused++;
                }
            }
        }
    }

    /**
     * The window's lines, preceded by the last task switch on each CPU before it: a task that has run since before
     * the window opened is then named by its switch, with its priority.
     */
    private void cut(Pending p) {
        List<TraceEvent> events = new ArrayList<>();
        for (String line : p.context()) TraceLineParser.parse(line).ifPresent(events::add);
        events.sort(Comparator.comparingLong(TraceEvent::tsNs));
        for (String line : recent.between(p.fromNs(), p.untilNs())) TraceLineParser.parse(line).ifPresent(events::add);
        windows.add(new TraceWindow(p.tid(), p.expiresNs(), p.kernelNs(), events, lost - p.lostBefore()));
    }

    /** The windows cut so far. */
    synchronized List<TraceWindow> windows() {
        return List.copyOf(windows);
    }

    /** Stops tracing, waits for the reader to read what is left, removes the instance and returns the windows. */
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
        long overruns = instance.overruns();
        instance.close();
        if (failure != null) throw failure;
        synchronized (this) {
            for (Pending p : pending) cut(p);
            pending.clear();
            return new Recording(List.copyOf(windows), overruns, eventsRead, refused);
        }
    }

    /**
     * Cuts the windows out of a trace recorded elsewhere and read afterwards (a guest's, brought back with its result),
     * line by line, as the live reader cuts them.
     */
    public static final class Offline {
        private final TraceRecorder recorder;

        /** @param wanted the late wake-ups (thread id, expiry) to cut windows for */
        public Offline(Settings settings, BiPredicate<Integer, Long> wanted) {
            recorder = new TraceRecorder(settings, null, wanted);
        }

        /** The next line, in the trace's order. */
        public void accept(String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            recorder.accept(b, 0, b.length);
        }

        /** The windows, all cut; {@code overruns}: the events the recording lost. */
        public Recording finish(long overruns) {
            synchronized (recorder) {
                for (Pending p : recorder.pending) recorder.cut(p);
                recorder.pending.clear();
                return new Recording(List.copyOf(recorder.windows), overruns, recorder.eventsRead, recorder.refused);
            }
        }
    }

    @Override
    public void close() {
        instance.close();
    }
}
