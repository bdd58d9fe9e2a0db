package org.vmlat.explain;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Attributes one spike of the probe to {@code L = L¹ + L² + I} from a window of trace events.
 *
 * <p>The method, in the order the kernel does things for a sleeping thread:
 * <ol>
 *   <li>The probe's sleep: its {@code hrtimer_start} whose {@code expires} is the intended wake-up E; its
 *       {@code hrtimer} address names the timer.</li>
 *   <li>The timer fires: the {@code hrtimer_expire_entry} of that address, inside the {@code local_timer_entry}
 *       that ran it (time T1). {@code L¹ = T1 - E}.</li>
 *   <li>From T1 to the {@code sched_switch} to the probe (S) the CPU's time is split, instant by instant, by the
 *       innermost context that held it: the probe's own timer interrupt and handler, and a task of lower or equal
 *       priority that kept the CPU after the wake-up, count in L² (nothing could preempt them); other timers'
 *       handlers, other interrupts, softirqs and higher-priority tasks count in I. A task's priority is the one it
 *       had when it left the CPU ({@code prev_prio}), as a task may have raised its own while running. Whether
 *       the task on the CPU at the wake-up ranks above the probe is the scheduler's own verdict: the need-resched
 *       flag ({@code N}) on the {@code sched_wakeup} line; tasks switched in while the probe was runnable were
 *       ranked above it by the scheduler; without flags, priorities are compared.</li>
 *   <li>From S to the probe's clock read (the measured latency minus S - E) is the return to user space: L².</li>
 * </ol>
 * A per-CPU state machine over the events, as rtla's timerlat auto-analysis keeps one, but over generic events
 * only ({@code timer}, {@code irq}, {@code irq_vectors}, {@code sched}) since kernels without the timerlat tracer
 * still have these.
 */
public final class SpikeAnalyzer {
    private SpikeAnalyzer() {}

    /**
     * @param window           the events around the spike, in time order (all CPUs may be present)
     * @param thread           the probe thread's index, -1 when unknown
     * @param tid              the probe thread's id
     * @param expiresNs        the intended wake-up (CLOCK_MONOTONIC ns)
     * @param measuredLatencyNs the probe's latency of that wake-up, -1 when the probe did not keep it
     * @throws ExplainException when the window lacks an event the method needs
     */
    public static SpikeExplanation explain(List<TraceEvent> window, int thread, int tid, long expiresNs, long measuredLatencyNs) {
        int start = -1;
        for (int i = 0; i < window.size(); i++) {
            TraceEvent e = window.get(i);
            if (e.pid() == tid && e.name().equals("hrtimer_start") && e.number("expires") == expiresNs) start = i;
        }
        if (start < 0) throw new ExplainException("the window holds no hrtimer_start of thread " + tid + " expiring at " + expiresNs);
        String timer = window.get(start).field("hrtimer");
        int expire = next(window, start + 1, e -> e.name().equals("hrtimer_expire_entry") && e.field("hrtimer").equals(timer));
        if (expire < 0) throw new ExplainException("the window holds no hrtimer_expire_entry of timer " + timer);
        int cpu = window.get(expire).cpu();
        int irq = expire;
        for (int i = expire - 1; i > start; i--) {
            TraceEvent e = window.get(i);
            if (e.cpu() != cpu) continue;
            if (e.name().equals("local_timer_entry")) {
                irq = i;
                break;
            }
            if (e.name().equals("local_timer_exit")) break;
        }
        int wakeup = next(window, expire + 1, e -> e.name().equals("sched_wakeup") && e.number("pid") == tid);
        if (wakeup < 0) throw new ExplainException("the window holds no sched_wakeup of thread " + tid + " after its timer fired");
        int switchIn = next(window, wakeup + 1, e -> e.name().equals("sched_switch") && e.number("next_pid") == tid);
        if (switchIn < 0) throw new ExplainException("the window holds no sched_switch to thread " + tid + " after its wake-up");
        TraceEvent in = window.get(switchIn);
        int runCpu = in.cpu();
        int probePrio = (int) in.number("next_prio");

        // the timer interrupt as the probe sees it: one that entered before the expiry serves the timer from the expiry on
        long t1 = Math.max(window.get(irq).tsNs(), expiresNs);
        long l1 = t1 - expiresNs;
        Map<String, Cause> causes = new LinkedHashMap<>();
        List<SpikeExplanation.Segment> timeline = new ArrayList<>();
        Task current = taskBefore(window, irq, runCpu, cpu);
        if (l1 > 0) {
            // what held the CPU while the interrupt was due: on a VM, often a task the vCPU ran when the host stopped it
            Cause late = new Cause(Part.TIMER_LATE, Cause.Kind.LATE_TIMER, "timer interrupt late (CPU held by " + current.comm() + ")",
                    current.pid(), current.prio(), l1);
            add(causes, late);
            extend(timeline, expiresNs, t1, late);
        }
        // a task's priority when it left the CPU (prev_prio): a task can raise its own priority while it runs
        // (sched_setscheduler has no trace event), so the switch that brought it in may show an older one
        Map<Integer, Integer> prioOut = new HashMap<>();
        for (int i = irq; i <= switchIn; i++) {
            TraceEvent e = window.get(i);
            if (e.cpu() == runCpu && e.name().equals("sched_switch")) prioOut.put((int) e.number("prev_pid"), (int) e.number("prev_prio"));
        }
        current = current.leaving(prioOut);
        Deque<Context> stack = new ArrayDeque<>();
        // an interrupt may enter before the expiry and still run the timer (hrtimer_interrupt reads the clock later,
        // slowly under emulation): the latency and its parts start at the expiry, not before it
        long prev = Math.max(t1, expiresNs);
        for (int i = irq; i <= switchIn; i++) {
            TraceEvent e = window.get(i);
            if (e.cpu() != runCpu) continue;
            if (!e.name().equals("sched_switch") && e.pid() != current.pid()) {
                // the line's header names the task on the CPU (a sched_switch line names the one leaving): a task
                // that came in without its switch in the window (lost, or before the window) is named from it
                current = header(window, e).leaving(prioOut);
                if (i > wakeup) current = current.judged(true);
            }
            if (e.tsNs() > prev) {
                Cause c = attribute(stack.peek(), current, tid, probePrio, e.tsNs() - prev);
                add(causes, c);
                extend(timeline, prev, e.tsNs(), c);
                prev = e.tsNs();
            }
            switch (e.name()) {
                case "local_timer_entry" -> stack.push(new Context(Cause.Kind.IRQ, "local timer interrupt", i == irq));
                case "hrtimer_expire_entry" -> stack.push(new Context(Cause.Kind.TIMER, "timer " + e.field("function"),
                        e.field("hrtimer").equals(timer)));
                case "irq_handler_entry" -> stack.push(new Context(Cause.Kind.IRQ, "irq " + e.field("irq") + " " + e.field("name"), false));
                case "softirq_entry" -> stack.push(new Context(Cause.Kind.SOFTIRQ, "softirq " + e.field("action"), false));
                case "local_timer_exit", "hrtimer_expire_exit", "irq_handler_exit", "softirq_exit" -> {
                    if (!stack.isEmpty()) stack.pop();
                }
                case "sched_switch" -> {
                    current = new Task(e.field("next_comm"), (int) e.number("next_pid"), (int) e.number("next_prio")).leaving(prioOut);
                    // picked while the probe was runnable: the scheduler ranked it above the probe
                    if (i > wakeup) current = current.judged(true);
                }
                case "sched_wakeup" -> {
                    // the scheduler's verdict at the wake-up: need-resched set means the task on the CPU must give
                    // way (it ranks below the probe); not set means it keeps the CPU by right (it ranks above)
                    if (i == wakeup && !e.flags().isEmpty()) current = current.judged(!e.needResched());
                }
                default -> { }
            }
        }
        long kernelNs = in.tsNs() - expiresNs;
        long latency = measuredLatencyNs >= 0 ? measuredLatencyNs : kernelNs;
        long unattributed = 0;
        if (measuredLatencyNs >= 0) {
            long toUser = measuredLatencyNs - kernelNs;
            if (toUser > 0) {
                Cause back = new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, "return to user space", -1, -1, toUser);
                add(causes, back);
                extend(timeline, in.tsNs(), in.tsNs() + toUser, back);
            } else {
                unattributed = toUser;
            }
        }
        List<Cause> list = new ArrayList<>(causes.values());
        list.sort(Comparator.comparingLong(Cause::durationNs).reversed());
        long l2 = 0, interference = 0;
        for (Cause c : list) {
            if (c.part() == Part.NON_PREEMPTIBLE) l2 += c.durationNs();
            if (c.part() == Part.INTERFERENCE) interference += c.durationNs();
        }
        return new SpikeExplanation(thread, tid, runCpu, expiresNs, latency, measuredLatencyNs >= 0, t1,
                window.get(wakeup).tsNs(), in.tsNs(), l1, l2, interference, unattributed, list, "", bounded(timeline));
    }

    /** At most this many stretches per timeline: beyond, neighbours in the same part are merged (the parts keep their sums). */
    static final int MAX_SEGMENTS = 200;

    /** Appends {@code [from, to)} held by {@code c}'s context, merged with the stretch before it when that is the same. */
    private static void extend(List<SpikeExplanation.Segment> timeline, long from, long to, Cause c) {
        String what = c.label();
        if (!timeline.isEmpty()) {
            SpikeExplanation.Segment last = timeline.get(timeline.size() - 1);
            if (last.toNs() == from && last.part() == c.part() && last.what().equals(what)) {
                timeline.set(timeline.size() - 1, new SpikeExplanation.Segment(last.fromNs(), to, last.part(), what));
                return;
            }
        }
        timeline.add(new SpikeExplanation.Segment(from, to, c.part(), what));
    }

    /** A long spike full of short interrupts keeps its parts' sums in fewer stretches, named by how many it merged. */
    static List<SpikeExplanation.Segment> bounded(List<SpikeExplanation.Segment> timeline) {
        if (timeline.size() <= MAX_SEGMENTS) return timeline;
        List<SpikeExplanation.Segment> out = new ArrayList<>();
        int merged = 0;
        for (SpikeExplanation.Segment s : timeline) {
            SpikeExplanation.Segment last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.part() == s.part()) {
                merged = merged == 0 ? 2 : merged + 1;
                out.set(out.size() - 1, new SpikeExplanation.Segment(last.fromNs(), s.toNs(), s.part(), merged + " contexts"));
            } else {
                merged = 0;
                out.add(s);
            }
        }
        return out;
    }

    /**
     * A task on the CPU. {@code outranks}: the scheduler's own verdict on whether it ranks above the woken probe,
     * when the trace shows one; null to compare priorities.
     */
    private record Task(String comm, int pid, int prio, Boolean outranks) {
        Task(String comm, int pid, int prio) {
            this(comm, pid, prio, null);
        }

        /** The task with the priority it had when it left the CPU, when the window shows it leaving. */
        Task leaving(Map<Integer, Integer> prioOut) {
            Integer out = prioOut.get(pid);
            return out == null ? this : new Task(comm, pid, out, outranks);
        }

        Task judged(boolean outranksProbe) {
            return new Task(comm, pid, prio, outranksProbe);
        }
    }

    /** An interrupt-like context on the CPU; {@code forProbe}: the probe's own timer interrupt or handler. */
    private record Context(Cause.Kind kind, String name, boolean forProbe) {}

    private static Cause attribute(Context ctx, Task task, int tid, int probePrio, long ns) {
        if (ctx != null) {
            if (ctx.forProbe()) {
                return new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, ctx.kind() == Cause.Kind.TIMER
                        ? "probe's timer handler (wake-up)" : "probe's timer interrupt", -1, -1, ns);
            }
            return new Cause(Part.INTERFERENCE, ctx.kind(), ctx.name(), -1, -1, ns);
        }
        if (task.pid() == tid) return new Cause(Part.NON_PREEMPTIBLE, Cause.Kind.KERNEL, "switch to the probe", -1, -1, ns);
        boolean byPrio = task.prio() >= 0 && probePrio >= 0 && task.prio() < probePrio;
        boolean higher = task.outranks() != null ? task.outranks() : byPrio;
        // a task that outranked the probe with a priority the trace shows as lower changed it while it ran
        // (sched_setscheduler has no trace event): its priority at the time is not known
        int prio = higher && !byPrio ? -1 : task.prio();
        return new Cause(higher ? Part.INTERFERENCE : Part.NON_PREEMPTIBLE, Cause.Kind.TASK, task.comm(), task.pid(), prio, ns);
    }

    /**
     * Who held the CPU when the timer interrupt came: the task its line's header names (the task the interrupt
     * interrupted), with the priority of the last switch to it on that CPU. The header is the kernel's own record
     * of the moment; the last switch alone can be stale: a task that reached the CPU while its switch was not read
     * (events lost, or it came before the window) would be named after the task before it.
     */
    private static Task taskBefore(List<TraceEvent> window, int at, int runCpu, int irqCpu) {
        TraceEvent irq = window.get(at);
        for (int i = at - 1; i >= 0; i--) {
            TraceEvent e = window.get(i);
            if (e.cpu() == runCpu && e.name().equals("sched_switch")) {
                Task last = new Task(e.field("next_comm"), (int) e.number("next_pid"), (int) e.number("next_prio"));
                return irqCpu != runCpu || last.pid() == irq.pid() ? last : header(window, irq);
            }
        }
        return header(window, irq);
    }

    /**
     * The task a line's header names, with its command name and priority as the window's scheduler events show them
     * (the last before the line, else the first after it; tracefs prints {@code <...>} for a command it no longer
     * knows); the idle task is 120, an unknown priority -1.
     */
    private static Task header(List<TraceEvent> window, TraceEvent at) {
        int pid = at.pid();
        if (pid == 0) return new Task(at.comm(), 0, 120);
        Task found = null;
        for (TraceEvent e : window) {
            if (found != null && e.tsNs() > at.tsNs()) break;
            Task seen = switch (e.name()) {
                case "sched_switch" -> e.number("next_pid") == pid ? new Task(e.field("next_comm"), pid, (int) e.number("next_prio"))
                        : e.number("prev_pid") == pid ? new Task(e.field("prev_comm"), pid, (int) e.number("prev_prio")) : null;
                case "sched_waking", "sched_wakeup" -> e.number("pid") == pid ? new Task(e.field("comm"), pid, (int) e.number("prio")) : null;
                default -> null;
            };
            if (seen != null && !seen.comm().isBlank()) found = seen;
        }
        return found != null ? found : new Task(at.comm().isBlank() ? "pid " + pid : at.comm(), pid, -1);
    }

    private static void add(Map<String, Cause> causes, Cause c) {
        String key = c.part() + "|" + c.kind() + "|" + c.name() + "|" + c.pid();
        Cause had = causes.get(key);
        causes.put(key, had == null ? c : had.plus(c.durationNs()));
    }

    private static int next(List<TraceEvent> window, int from, Predicate<TraceEvent> p) {
        for (int i = from; i < window.size(); i++) if (p.test(window.get(i))) return i;
        return -1;
    }
}
