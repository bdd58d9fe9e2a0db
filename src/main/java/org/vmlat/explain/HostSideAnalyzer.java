package org.vmlat.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What this machine did to a guest's QEMU threads in a window of time, from its scheduler events: each thread is,
 * instant by instant, running, sleeping (it had nothing to do: a halted vCPU, the main loop waiting), or not running
 * although it had work: {@code preempted} (switched out runnable: another task took its CPU), {@code stopped}
 * (switched out stopped: SIGSTOP, a frozen cgroup) or {@code waiting for a CPU} (woken, not yet switched in). The
 * last three are the host's causes of a late guest: their overlap with the window, per thread and state.
 */
public final class HostSideAnalyzer {
    private HostSideAnalyzer() {}

    private enum State { RUNNING, SLEEPING, PREEMPTED, STOPPED, WAITING }

    /**
     * @param events     this machine's sched_switch and sched_wakeup events, in time order, from before the window
     * @param threads    the guest's QEMU threads: thread id to name
     */
    public static List<HostCause> explain(List<TraceEvent> events, Map<Integer, String> threads, long fromNs, long toNs) {
        Map<String, HostCause> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, String> t : threads.entrySet()) {
            int tid = t.getKey();
            State state = State.RUNNING;
            long since = Long.MIN_VALUE;
            String by = "";
            for (TraceEvent e : events) {
                if (e.tsNs() > toNs) break;
                State next = null;
                String nextBy = by;
                if (e.name().equals("sched_switch") && e.number("prev_pid") == tid) {
                    String ps = e.field("prev_state");
                    next = ps.startsWith("R") ? State.PREEMPTED : ps.startsWith("T") || ps.startsWith("t") ? State.STOPPED : State.SLEEPING;
                    nextBy = next == State.PREEMPTED ? e.field("next_comm") + " (pid " + e.number("next_pid") + ")" : "";
                } else if (e.name().equals("sched_switch") && e.number("next_pid") == tid) {
                    next = State.RUNNING;
                } else if (e.name().equals("sched_wakeup") && e.number("pid") == tid && (state == State.SLEEPING || state == State.STOPPED)) {
                    next = State.WAITING;
                    nextBy = "";
                }
                if (next == null) continue;
                add(out, t.getValue(), tid, state, by, since, e.tsNs(), fromNs, toNs);
                state = next;
                by = nextBy;
                since = e.tsNs();
            }
            add(out, t.getValue(), tid, state, by, since, toNs, fromNs, toNs);
        }
        List<HostCause> list = new ArrayList<>(out.values());
        list.sort(Comparator.comparingLong(HostCause::durationNs).reversed());
        return list;
    }

    private static void add(Map<String, HostCause> out, String name, int tid, State state, String by, long from, long to, long winFrom, long winTo) {
        if (state == State.RUNNING || state == State.SLEEPING) return;
        long overlap = Math.min(to, winTo) - Math.max(from, winFrom);
        if (overlap <= 0) return;
        String label = switch (state) {
            case PREEMPTED -> "preempted";
            case STOPPED -> "stopped";
            default -> "waiting for a CPU";
        };
        String key = tid + "|" + label;
        HostCause had = out.get(key);
        out.put(key, had == null ? new HostCause(name, tid, label, overlap, state == State.WAITING ? "" : by)
                : new HostCause(name, tid, label, had.durationNs() + overlap, had.by().isEmpty() ? by : had.by()));
    }
}
