package org.vmlat.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One QEMU thread's part in a guest spike's host side: its causes together, as the report draws it in one lane and
 * {@code vmlat explain} prints it under one heading.
 *
 * @param thread the QEMU thread's name
 * @param tid    its thread id on this machine
 * @param causes its causes in the spike's window, longest first
 */
public record HostThread(String thread, int tid, List<HostCause> causes) {
    /** One stretch the thread did not run, whole, on this machine's clock. */
    public record Stretch(HostCause.State state, long fromHostNs, long toHostNs, String by) {
        /** {@code preempted by hackbench (pid 4711)}. */
        public String words() {
            return HostCause.words(state, by);
        }
    }

    public HostThread {
        causes = List.copyOf(causes);
    }

    /** The threads of {@code causes} in lane order: vCPU threads first (what runs the guest's code), then by time not run, longest first. */
    static List<HostThread> of(List<HostCause> causes) {
        List<HostThread> out = new ArrayList<>();
        for (HostCause c : causes) {
            if (out.stream().anyMatch(t -> t.tid() == c.tid())) continue;
            out.add(new HostThread(c.thread(), c.tid(), causes.stream().filter(o -> o.tid() == c.tid()).toList()));
        }
        out.sort(Comparator.comparing((HostThread t) -> !t.vcpu()).thenComparing(Comparator.comparingLong(HostThread::notRunningNs).reversed())
                .thenComparingInt(HostThread::tid));
        return out;
    }

    public boolean vcpu() {
        return HostCause.vcpu(thread);
    }

    /** {@code vCPU thread CPU 0/TCG}, {@code QEMU thread qemu-system-x86}. */
    public String label() {
        return (vcpu() ? "vCPU" : "QEMU") + " thread " + thread;
    }

    /** Its time not run in the window, all states together. */
    public long notRunningNs() {
        return causes.stream().mapToLong(HostCause::durationNs).sum();
    }

    /** Whether its stretches are known: false for host sides stored before vmlat kept them. */
    public boolean timed() {
        return causes.stream().allMatch(c -> !c.intervals().isEmpty());
    }

    /** Its stretches in time order (empty when not {@link #timed()}). */
    public List<Stretch> stretches() {
        if (!timed()) return List.of();
        List<Stretch> out = new ArrayList<>();
        for (HostCause c : causes) for (HostCause.Interval i : c.intervals()) out.add(new Stretch(c.state(), i.fromHostNs(), i.toHostNs(), i.by()));
        out.sort(Comparator.comparingLong(Stretch::fromHostNs));
        return out;
    }
}
