package org.vmlat.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this machine did to a guest's QEMU threads, from its scheduler events: each thread is, instant by instant,
 * running, sleeping (it had nothing to do: a halted vCPU, the main loop waiting), or not running although it had
 * work: {@code preempted} (switched out runnable: another task took its CPU, named by the switch), {@code stopped}
 * (switched out stopped: SIGSTOP, a frozen cgroup) or {@code waiting for a CPU} (woken, not yet switched in; named by
 * the task it took the CPU from when it got it, none when that CPU was idle). The last three are the host's causes of
 * a late guest. The events are read once into a {@link Timeline} of those intervals; each guest spike then
 * asks for the overlap with its window.
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

    /** The intervals in which QEMU's threads had work but did not run, ordered by start. */
    public static final class Timeline {
        private final List<Interval> intervals;
        private final long[] starts;
        private final long longestNs;

        private Timeline(List<Interval> intervals) {
            intervals.sort(Comparator.comparingLong(Interval::fromNs));
            this.intervals = intervals;
            this.starts = new long[intervals.size()];
            long longest = 0;
            for (int i = 0; i < starts.length; i++) {
                starts[i] = intervals.get(i).fromNs();
                longest = Math.max(longest, intervals.get(i).toNs() - intervals.get(i).fromNs());
            }
            this.longestNs = longest;
        }

        /**
         * The host's causes in {@code [fromNs, toNs]}: per thread and state, the time overlapping it (longest first) and
         * each interval that overlaps it, whole.
         */
        public List<HostCause> causesIn(long fromNs, long toNs) {
            Map<String, List<Interval>> byCause = new LinkedHashMap<>();
            // no interval starting before fromNs - longestNs can reach the window
            int i = firstAtOrAfter(fromNs - longestNs);
            for (; i < intervals.size() && intervals.get(i).fromNs() <= toNs; i++) {
                Interval v = intervals.get(i);
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

        private int firstAtOrAfter(long ns) {
            int lo = 0, hi = starts.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (starts[mid] < ns) lo = mid + 1;
                else hi = mid;
            }
            return lo;
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
        for (TraceEvent e : events) {
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
        return new Timeline(out);
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
