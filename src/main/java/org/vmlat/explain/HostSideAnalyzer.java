package org.vmlat.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * What this machine did to a guest's QEMU threads, from its scheduler events: each thread is, instant by instant,
 * running, sleeping (it had nothing to do: a halted vCPU, the main loop waiting), or not running although it had
 * work: {@code preempted} (switched out runnable: another task took its CPU, named by the switch), {@code stopped}
 * (switched out stopped: SIGSTOP, a frozen cgroup) or {@code waiting for a CPU} (woken, not yet switched in; named by
 * the task it took the CPU from when it got it, none when that CPU was idle). The last three are the host's causes of
 * a late guest. Under KVM the host's {@code kvm_exit}/{@code kvm_entry} also say, while a vCPU thread "runs", whether
 * it ran the guest or was out of guest mode on an exit, and for which reason. The events are read once into a
 * {@link Timeline} of those intervals; each guest spike then asks for the overlap with its window.
 */
public final class HostSideAnalyzer {
    private HostSideAnalyzer() {}

    /** Where a thread is, instant by instant; the states with a cause are the host's causes of a late guest. */
    private enum State {
        RUNNING(null), SLEEPING(null), PREEMPTED(HostCause.State.PREEMPTED), STOPPED(HostCause.State.STOPPED), WAITING(HostCause.State.WAITING);

        final HostCause.State cause;

        State(HostCause.State cause) {
            this.cause = cause;
        }
    }

    /** One interval in which a QEMU thread had work but did not run. */
    private record Interval(String thread, int tid, HostCause.State state, long fromNs, long toNs, String by) {}

    /** One interval in which a vCPU was out of guest mode, from its kvm_exit to its next kvm_entry. */
    private record Exit(String thread, int tid, String reason, long fromNs, long toNs) {}

    /** The vCPUs' exits ordered by start, for finding those that overlap a window without scanning them all. */
    private static final class Exits {
        private final Spans<Exit> exits;

        Exits(List<Exit> exits) {
            this.exits = new Spans<>(exits, Exit::fromNs, Exit::toNs);
        }

        List<VmExit> in(long fromNs, long toNs) {
            Map<String, VmExit> out = new LinkedHashMap<>();
            for (Exit x : exits.overlapping(fromNs, toNs)) {
                long overlap = Math.min(x.toNs(), toNs) - Math.max(x.fromNs(), fromNs);
                if (overlap <= 0) continue;
                out.merge(x.tid() + "|" + x.reason(), new VmExit(x.thread(), x.tid(), x.reason(), 1, overlap),
                        (had, one) -> new VmExit(had.thread(), had.tid(), had.reason(), had.count() + 1, had.durationNs() + overlap));
            }
            List<VmExit> list = new ArrayList<>(out.values());
            list.sort(Comparator.comparingInt(VmExit::tid).thenComparing(Comparator.comparingLong(VmExit::durationNs).reversed()));
            return list;
        }
    }

    /** The intervals in which QEMU's threads had work but did not run, ordered by start, and the vCPUs' exits. */
    public static final class Timeline {
        private final Spans<Interval> intervals;
        private final Exits exits;

        private Timeline(List<Interval> intervals, List<Exit> exits) {
            this.exits = new Exits(exits);
            this.intervals = new Spans<>(intervals, Interval::fromNs, Interval::toNs);
        }

        /**
         * The host's causes in {@code [fromNs, toNs]}: per thread and state, the time overlapping it (longest first) and
         * each interval that overlaps it, whole.
         */
        public List<HostCause> causesIn(long fromNs, long toNs) {
            Map<String, List<Interval>> byCause = new LinkedHashMap<>();
            for (Interval v : intervals.overlapping(fromNs, toNs)) {
                if (Math.min(v.toNs(), toNs) - Math.max(v.fromNs(), fromNs) <= 0) continue;
                byCause.computeIfAbsent(v.tid() + "|" + v.state(), k -> new ArrayList<>()).add(v);
            }
            List<HostCause> list = new ArrayList<>();
            for (List<Interval> vs : byCause.values()) {
                Interval first = vs.get(0);
                long overlap = 0;
                String by = "";
                List<HostCause.Interval> whole = new ArrayList<>();
                for (Interval v : vs) {
                    HostCause.Interval w = new HostCause.Interval(v.fromNs(), v.toNs(), v.by());
                    overlap += w.overlapNs(fromNs, toNs);
                    if (by.isEmpty()) by = v.by();
                    whole.add(w);
                }
                list.add(new HostCause(first.thread(), first.tid(), first.state(), overlap, by, whole));
            }
            list.sort(Comparator.comparingLong(HostCause::durationNs).reversed());
            return list;
        }

        /**
         * The vCPUs' time out of guest mode in {@code [fromNs, toNs]}, from kvm_exit to the next kvm_entry of the same
         * thread: per thread and exit reason, the exits overlapping it and their time inside it; grouped by thread, each
         * thread's reasons longest first. Empty when the trace has no KVM events (TCG, or not traced).
         */
        public List<VmExit> exitsIn(long fromNs, long toNs) {
            return exits.in(fromNs, toNs);
        }
    }

    /** Spans of time ordered by start, found by the window they may overlap without a scan of them all. */
    private static final class Spans<T> {
        private final List<T> items;
        private final long[] starts;
        private final long longestNs;
        private final ToLongFunction<T> from;

        Spans(List<T> items, ToLongFunction<T> from, ToLongFunction<T> to) {
            items.sort(Comparator.comparingLong(from));
            this.items = items;
            this.from = from;
            this.starts = new long[items.size()];
            long longest = 0;
            for (int i = 0; i < starts.length; i++) {
                starts[i] = from.applyAsLong(items.get(i));
                longest = Math.max(longest, to.applyAsLong(items.get(i)) - starts[i]);
            }
            this.longestNs = longest;
        }

        /** Those that start no later than {@code toNs} and may reach {@code fromNs}: the caller checks the overlap. */
        List<T> overlapping(long fromNs, long toNs) {
            // none starting before fromNs - longestNs can reach the window
            int lo = 0, hi = starts.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] < fromNs - longestNs) lo = mid + 1;
                else hi = mid;
            }
            int end = lo;
            while (end < items.size() && from.applyAsLong(items.get(end)) <= toNs) end++;
            return items.subList(lo, end);
        }
    }

    /**
     * @param events  this machine's sched_switch and sched_wakeup events, in time order
     * @param threads the guest's QEMU threads: thread id to name
     */
    public static Timeline timeline(List<TraceEvent> events, Map<Integer, String> threads) {
        Map<Integer, State> state = new LinkedHashMap<>();
        Map<Integer, Long> since = new LinkedHashMap<>();
        Map<Integer, String> by = new LinkedHashMap<>();
        List<Interval> out = new ArrayList<>();
        VcpuExits exits = new VcpuExits(threads);
        for (TraceEvent e : events) {
            if (exits.accept(e)) continue;
            boolean switchEvent = e.name().equals("sched_switch");
            if (!switchEvent && !e.name().equals("sched_wakeup")) continue;
            if (switchEvent) {
                int prev = (int) e.number("prev_pid");
                if (threads.containsKey(prev)) {
                    String ps = e.field("prev_state");
                    State next = ps.startsWith("R") ? State.PREEMPTED : ps.startsWith("T") || ps.startsWith("t") ? State.STOPPED : State.SLEEPING;
                    move(out, threads, prev, next, next == State.PREEMPTED ? e.field("next_comm") + " (pid " + e.number("next_pid") + ")" : "",
                            e.tsNs(), state, since, by);
                }
                int nextPid = (int) e.number("next_pid");
                if (threads.containsKey(nextPid)) {
                    // a woken thread waited for the task it now takes the CPU from; the idle task means the CPU was free
                    if (state.get(nextPid) == State.WAITING && e.number("prev_pid") != 0) {
                        by.put(nextPid, e.field("prev_comm") + " (pid " + e.number("prev_pid") + ")");
                    }
                    move(out, threads, nextPid, State.RUNNING, "", e.tsNs(), state, since, by);
                }
            } else {
                int tid = (int) e.number("pid");
                State s = state.get(tid);
                if (threads.containsKey(tid) && (s == State.SLEEPING || s == State.STOPPED)) {
                    move(out, threads, tid, State.WAITING, "", e.tsNs(), state, since, by);
                }
            }
        }
        long end = events.isEmpty() ? 0 : events.get(events.size() - 1).tsNs();
        for (int tid : threads.keySet()) if (state.containsKey(tid)) move(out, threads, tid, State.RUNNING, "", Math.max(end, since.get(tid)), state, since, by);
        return new Timeline(out, exits.finish(end));
    }

    /** The vCPUs' time out of guest mode in one window: the same as {@code timeline(events, threads).exitsIn(fromNs, toNs)}. */
    public static List<VmExit> exits(List<TraceEvent> events, Map<Integer, String> threads, long fromNs, long toNs) {
        return timeline(events, threads).exitsIn(fromNs, toNs);
    }

    /**
     * A vCPU thread's exits: out of guest mode from its kvm_exit (the header names the thread) to its next kvm_entry.
     * An exit whose entry is missing (the trace ended, or events were lost) ends at the next exit or the trace's end;
     * an entry without an exit before it is the trace starting out of guest mode for an unknown reason, not counted.
     */
    private static final class VcpuExits {
        private final Map<Integer, String> threads;
        private final Map<Integer, String> reason = new LinkedHashMap<>();
        private final Map<Integer, Long> since = new LinkedHashMap<>();
        private final List<Exit> out = new ArrayList<>();

        VcpuExits(Map<Integer, String> threads) {
            this.threads = threads;
        }

        /** Whether the event was a KVM event (of this guest's threads or not). */
        boolean accept(TraceEvent e) {
            if (!e.name().startsWith("kvm_")) return false;
            int tid = e.pid();
            if (!threads.containsKey(tid)) return true;
            switch (e.name()) {
                case "kvm_exit" -> {
                    close(tid, e.tsNs());
                    String r = KvmEventLine.exitReason(e);
                    reason.put(tid, r.isEmpty() ? "unknown" : r);
                    since.put(tid, e.tsNs());
                }
                case "kvm_entry" -> close(tid, e.tsNs());
                case "kvm_msr" -> reason.computeIfPresent(tid, (t, r) -> KvmEventLine.withMsr(r, e));
                default -> { }
            }
            return true;
        }

        private void close(int tid, long ts) {
            String r = reason.remove(tid);
            Long from = since.remove(tid);
            if (r != null && ts >= from) out.add(new Exit(threads.get(tid), tid, r, from, ts));
        }

        List<Exit> finish(long endNs) {
            for (int tid : List.copyOf(reason.keySet())) close(tid, Math.max(endNs, since.get(tid)));
            return out;
        }
    }

    /** What {@link #timeline} says of one window: the same as {@code timeline(events, threads).causesIn(fromNs, toNs)}. */
    public static List<HostCause> explain(List<TraceEvent> events, Map<Integer, String> threads, long fromNs, long toNs) {
        return timeline(events, threads).causesIn(fromNs, toNs);
    }

    private static void move(List<Interval> out, Map<Integer, String> threads, int tid, State next, String nextBy, long ts,
                             Map<Integer, State> state, Map<Integer, Long> since, Map<Integer, String> by) {
        State s = state.getOrDefault(tid, State.RUNNING);
        Long from = since.get(tid);
        if (from != null && ts > from && s.cause != null) out.add(new Interval(threads.get(tid), tid, s.cause, from, ts, by.getOrDefault(tid, "")));
        state.put(tid, next);
        since.put(tid, ts);
        by.put(tid, nextBy);
    }
}
