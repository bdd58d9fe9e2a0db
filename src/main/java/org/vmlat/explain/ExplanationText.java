package org.vmlat.explain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Explanations as terminal text: one summary (shares of L¹/L²/I, top causes), one line per spike, a guest spike's host side. */
public final class ExplanationText {
    private ExplanationText() {}

    public static String summary(ExplanationSummary s) {
        StringBuilder b = new StringBuilder();
        if (s.spikes() == 0) return "No spike explained.\n";
        b.append(String.format(Locale.ROOT, "%d spike(s) explained, %s in all: L1 %.0f%%, L2 %.0f%%, I %.0f%%%n", s.spikes(),
                us(s.latencyNs()), 100 * s.share(Part.TIMER_LATE), 100 * s.share(Part.NON_PREEMPTIBLE), 100 * s.share(Part.INTERFERENCE)));
        b.append("Top causes:\n");
        for (ExplanationSummary.TopCause t : s.topCauses()) {
            b.append(String.format(Locale.ROOT, "  %-2s %10s  %s (in %d spike%s)%n", t.cause().part().symbol(), us(t.cause().durationNs()),
                    t.cause().label(), t.spikes(), t.spikes() == 1 ? "" : "s"));
        }
        return b.toString();
    }

    /** One spike: {@code L = 812.0us: L1 790.0us, L2 12.0us, I 10.0us; most: ...; trace: FILE}. */
    public static String spike(SpikeExplanation e, int causes) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "T%s tid %d cpu %d at %d ns: L = %s%s: L1 %s, L2 %s, I %s", e.thread() < 0 ? "?" : e.thread(), e.tid(),
                e.cpu(), e.expiresNs(), us(e.latencyNs()), e.measured() ? "" : " (trace)", us(e.l1Ns()), us(e.l2Ns()), us(e.interferenceNs())));
        if (e.unattributedNs() != 0) b.append(", alignment ").append(us(e.unattributedNs()));
        List<Cause> top = e.causes().subList(0, Math.min(causes, e.causes().size()));
        for (int i = 0; i < top.size(); i++) {
            Cause c = top.get(i);
            b.append(i == 0 ? "; " : ", ").append(c.part().symbol()).append(' ').append(c.label()).append(' ').append(us(c.durationNs()));
        }
        if (!e.trace().isEmpty()) b.append("; trace: ").append(e.trace());
        return b.append('\n').toString();
    }

    /** Stretches printed per QEMU thread; the report draws them all. */
    static final int STRETCHES = 8;

    /**
     * A guest spike's host side in the report's order and words: a heading with the clock alignment's bound, then per
     * QEMU thread kept off its CPU in the spike's window (vCPU threads first) its time not run and each stretch it did
     * not run, placed on the guest's clock and counted from the intended wake-up:
     * <pre>
     *       host: QEMU threads placed +-12.0us by the clock alignment, times since the intended wake-up
     *         vCPU thread CPU 0/TCG (tid 500): not running for 781.0us
     *           +100.0us to +881.0us  preempted by hackbench (pid 4711)
     * </pre>
     * and under KVM, per vCPU thread, its time out of guest mode by exit reason.
     * A host side stored before the stretches were has durations only, per state. Empty when the spike has no host side.
     */
    public static String hostSide(SpikeExplanation e, CrossBoundaryJson.Document host) {
        Optional<CrossBoundary> side = host.spike(e.tid(), e.expiresNs());
        if (side.isEmpty()) return "";
        ClockAlignment a = host.alignment();
        StringBuilder b = new StringBuilder("      host: QEMU threads placed +-").append(us(a.errorNs())).append(" by the clock alignment");
        List<HostThread> threads = side.get().threads();
        String exits = exits(side.get().exits());
        if (threads.isEmpty()) return b.append(": none was kept off its CPU\n").append(exits).toString();
        b.append(threads.stream().anyMatch(HostThread::timed) ? ", times since the intended wake-up\n" : "\n");
        for (HostThread t : threads) {
            b.append(String.format(Locale.ROOT, "        %s (tid %d): not running for %s%s%n", t.label(), t.tid(), us(t.notRunningNs()),
                    t.timed() ? "" : " (stored without its times)"));
            if (!t.timed()) {
                for (HostCause c : t.causes()) b.append("          ").append(us(c.durationNs())).append("  ").append(HostCause.words(c.state(), c.by())).append('\n');
                continue;
            }
            List<HostThread.Stretch> stretches = t.stretches();
            for (HostThread.Stretch s : stretches.subList(0, Math.min(STRETCHES, stretches.size()))) {
                b.append("          ").append(since(a, e, s.fromHostNs())).append(" to ").append(since(a, e, s.toHostNs())).append("  ").append(s.words())
                        .append('\n');
            }
            if (stretches.size() > STRETCHES) b.append("          and ").append(stretches.size() - STRETCHES).append(" more (vmlat report --html draws them all)\n");
        }
        return b.append(exits).toString();
    }

    /**
     * Under KVM, one line per vCPU thread out of guest mode in the window:
     * {@code vCPU thread CPU 0/KVM (tid 287): out of guest mode 312.0us: interrupt 3x 280.0us, msr write 0x6e0 (TSC deadline) 12x 32.0us}.
     */
    private static String exits(List<VmExit> exits) {
        Map<Integer, List<VmExit>> byThread = new LinkedHashMap<>();
        for (VmExit x : exits) byThread.computeIfAbsent(x.tid(), t -> new ArrayList<>()).add(x);
        StringBuilder b = new StringBuilder();
        for (List<VmExit> thread : byThread.values()) b.append("        ").append(VmExit.describe(thread)).append('\n');
        return b.toString();
    }

    /** A time of this machine's clock on the guest's, from the spike's intended wake-up: {@code +100.0us}. */
    private static String since(ClockAlignment a, SpikeExplanation e, long hostNs) {
        return String.format(Locale.ROOT, "%+.1fus", (a.toGuestNs(hostNs) - e.expiresNs()) / 1000.0);
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.1fus", ns / 1000.0);
    }
}
