package org.vmlat.explain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * A guest spike's host side: what this machine did to the guest's QEMU threads from the wake-up's intended time to
 * the probe thread's switch-in (the whole latency L), on this machine's clock by {@code alignment}.
 *
 * @param tid        the guest probe thread's id (in the guest)
 * @param expiresNs  the wake-up's intended time on the guest's clock (as in its {@link SpikeExplanation})
 * @param fromHostNs the window's start on this machine's CLOCK_MONOTONIC
 * @param toHostNs   the window's end on this machine's CLOCK_MONOTONIC
 * @param causes     the QEMU threads that could not run in the window, longest first
 * @param exits      the vCPUs' time out of guest mode in the window by exit reason (KVM hosts whose trace has the kvm
 *                   events), per thread, longest first; empty under TCG and in documents stored before they were kept
 */
public record CrossBoundary(int tid, long expiresNs, long fromHostNs, long toHostNs, List<HostCause> causes, List<VmExit> exits) {
    /** A host side without KVM's exits (TCG, or a host whose trace has no kvm events). */
    public CrossBoundary(int tid, long expiresNs, long fromHostNs, long toHostNs, List<HostCause> causes) {
        this(tid, expiresNs, fromHostNs, toHostNs, causes, List.of());
    }

    public CrossBoundary {
        if (toHostNs < fromHostNs) throw new IllegalArgumentException("toHostNs must be >= fromHostNs");
        causes = List.copyOf(causes);
        exits = exits == null ? List.of() : List.copyOf(exits);
        for (HostCause c : causes) {
            if (c.intervals().isEmpty()) continue;
            long in = 0;
            for (HostCause.Interval i : c.intervals()) in += i.overlapNs(fromHostNs, toHostNs);
            if (in != c.durationNs()) {
                throw new IllegalArgumentException("causes: " + c.thread() + " " + c.state().words() + ": its intervals cover " + in
                        + " ns of the window, not durationNs " + c.durationNs());
            }
        }
    }

    /**
     * How much of the window at least one QEMU thread had work and did not run: the union of the causes' intervals, so
     * two threads waiting at the same time count once (their causes' durations add up to more than QEMU lost). Empty
     * for a host side stored without its intervals.
     */
    public OptionalLong heldOffNs() {
        List<HostCause.Interval> all = new ArrayList<>();
        for (HostCause c : causes) {
            if (c.intervals().isEmpty() && c.durationNs() > 0) return OptionalLong.empty();
            all.addAll(c.intervals());
        }
        all.sort(Comparator.comparingLong(HostCause.Interval::fromHostNs));
        long held = 0, reached = fromHostNs;
        for (HostCause.Interval i : all) {
            long from = Math.max(i.fromHostNs(), reached), to = Math.min(i.toHostNs(), toHostNs);
            if (to <= from) continue;
            held += to - from;
            reached = to;
        }
        return OptionalLong.of(held);
    }

    /** Its QEMU threads, one per lane: vCPU threads first, then by time not run. */
    public List<HostThread> threads() {
        return HostThread.of(causes);
    }
}
