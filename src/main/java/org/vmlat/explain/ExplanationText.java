package org.vmlat.explain;

import java.util.List;
import java.util.Locale;

/** Explanations as terminal text: one summary (shares of L¹/L²/I, top causes) and one line per spike. */
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

    /**
     * A guest spike's host side, one line per QEMU thread kept off its CPU in the spike's L1 window:
     * {@code host (clock +-12.0us): vCPU thread CPU 0/TCG not running for 781.0us: preempted by hackbench (pid 4711)}.
     */
    public static String hostSide(SpikeExplanation e, CrossBoundaryJson.Document host) {
        StringBuilder b = new StringBuilder();
        for (CrossBoundary c : host.spikes()) {
            if (c.tid() != e.tid() || c.expiresNs() != e.expiresNs()) continue;
            String clock = "host (clock +-" + us(host.alignment().errorNs()) + "): ";
            if (c.causes().isEmpty()) b.append("      ").append(clock).append("QEMU's threads were not kept off their CPUs\n");
            for (HostCause h : c.causes()) b.append("      ").append(clock).append(h.describe()).append('\n');
        }
        return b.toString();
    }

    private static String us(long ns) {
        return String.format(Locale.ROOT, "%.1fus", ns / 1000.0);
    }
}
