package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.explain.ClockAlignment;
import org.vmlat.explain.CrossBoundary;
import org.vmlat.explain.HostCause;
import org.vmlat.explain.HostThread;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeExplanation;

/**
 * One explained spike on a time line, in the report's chart design ({@link Chart}'s colours, grid and type): a lane
 * for the probe's CPU showing what held it from the intended wake-up to the probe's clock read, coloured by the part
 * of the latency each stretch counts in; below it one lane per part (L¹, L², I) with the part's stretches and its
 * total in µs; vertical marks at the intended time (the timer's expiry), the timer interrupt's entry, the wake-up, the
 * switch-in and the clock read. Time runs from the expiry, labelled in µs/ms.
 *
 * <p>A guest spike with a host side gets host lanes below, on the same axis: a heading with the clock alignment's
 * bound (stated, and drawn as a bracket of ± the bound around the expiry), then one lane per QEMU thread kept off its
 * CPU (vCPU threads first, as {@link CrossBoundary#threads()} orders them) with each stretch it did not run placed
 * through the alignment and coloured by its state, named by its culprit where there is room. A host side stored
 * without its stretches gets its durations in words instead.
 */
final class SpikeTimelineChart {
    /** A colour per part, in the order of {@link Part}: the categorical colours of the other charts. */
    static final String[] PART_COLORS = {Chart.COLORS[1], Chart.COLORS[0], Chart.COLORS[2]};
    /** A colour per host state, in the order of {@link HostCause.State}: colours no part has. */
    static final String[] STATE_COLORS = {Chart.COLORS[3], Chart.COLORS[4], Chart.COLORS[8]};
    private static final double W = 800, LEFT = 112, RIGHT = 16, TITLE = 22, LABEL_ROW = 12, CPU_LANE = 30, PART_LANE = 18, AXIS = 40;
    private static final double HOST_HEAD = 24, HOST_LANE = 22;
    /** One row per mark at most: marks microseconds apart on a millisecond axis each get their own. */
    private static final int LABEL_ROWS = 5;

    private SpikeTimelineChart() {}

    /** The part's symbol as the study writes it. */
    static String symbol(Part p) {
        return switch (p) {
            case TIMER_LATE -> "L¹";
            case NON_PREEMPTIBLE -> "L²";
            case INTERFERENCE -> "I";
        };
    }

    /** A mark on the time line: the CSS class (for the page and tests), the label, the time. */
    private record Mark(String cls, String label, long atNs) {}

    static String svg(SpikeExplanation e, String title) {
        return svg(e, null, null, title);
    }

    /** With host lanes when {@code side} is not null: the spike's host side, placed on the guest's clock by {@code alignment}. */
    static String svg(SpikeExplanation e, ClockAlignment alignment, CrossBoundary side, String title) {
        long end = e.expiresNs() + e.latencyNs();
        for (SpikeExplanation.Segment s : e.timeline()) end = Math.max(end, s.toNs());
        long start = e.expiresNs();
        for (SpikeExplanation.Segment s : e.timeline()) start = Math.min(start, s.fromNs());
        end = Math.max(end, e.switchInNs());
        long span = Math.max(1000, end - start);
        // a little room on both sides so marks at the ends stay visible
        long from = start - span / 40, to = end + span / 40;
        double plotW = W - LEFT - RIGHT;
        double top = TITLE + LABEL_ROWS * LABEL_ROW + 6;
        List<HostThread> hostThreads = side == null ? List.of() : side.threads();
        double guestH = CPU_LANE + Part.values().length * PART_LANE;
        double plotH = guestH + (side == null ? 0 : HOST_HEAD + Math.max(1, hostThreads.size()) * HOST_LANE);
        double h = top + plotH + AXIS;
        SvgCanvas c = new SvgCanvas(W, h, title);
        c.rect(0, 0, W, h, "#ffffff", null, "background", null);
        c.text(LEFT, 16, title, 13, "start", Chart.TEXT, true, false, "title");
        // ticks: time since the expiry, at round steps
        double axisY = top + plotH;
        for (long t : ScheduleChart.ticks(from - e.expiresNs(), to - e.expiresNs())) {
            double x = x(e.expiresNs() + t, from, to, plotW);
            c.line(x, top, x, axisY, Chart.GRID, 1, false, "grid");
            c.text(x, axisY + 14, t == 0 ? "0" : (t < 0 ? "-" : "") + Chart.latencyLabel(Math.abs(t)), 10, "middle", Chart.TICK, false, false, "tick x");
        }
        c.text(LEFT + plotW / 2, h - 8, "time since the intended wake-up (timer expiry)", 11, "middle", Chart.TEXT, false, false, "axis");
        // the CPU lane: what held the CPU, coloured by part, named where there is room
        c.text(LEFT - 6, top + CPU_LANE * 0.62, "CPU " + e.cpu(), 11, "end", Chart.TEXT, true, false, "lane cpu");
        for (SpikeExplanation.Segment s : e.timeline()) {
            double x0 = x(s.fromNs(), from, to, plotW), x1 = x(s.toNs(), from, to, plotW);
            String color = PART_COLORS[s.part().ordinal()];
            c.rect(x0, top + 3, Math.max(0.5, x1 - x0), CPU_LANE - 6, color + "cc", color, "segment " + s.part().symbol(),
                    s.what() + ": " + us(s.durationNs()) + ", " + symbol(s.part()) + " (" + s.part().meaning() + ")");
            if (x1 - x0 > 6.2 * s.what().length()) {
                c.text((x0 + x1) / 2, top + CPU_LANE * 0.62, s.what(), 10, "middle", "#ffffff", false, false, "segment-label");
            }
        }
        // one lane per part: its stretches and its total
        for (Part p : Part.values()) {
            double y = top + CPU_LANE + p.ordinal() * PART_LANE;
            String color = PART_COLORS[p.ordinal()];
            c.line(LEFT, y + PART_LANE, LEFT + plotW, y + PART_LANE, Chart.MINOR_GRID, 1, false, "lane");
            c.text(LEFT - 6, y + PART_LANE * 0.7, symbol(p) + " " + us(e.partNs(p)), 10, "end", color, true, false, "part-total " + p.symbol());
            for (SpikeExplanation.Segment s : e.timeline()) {
                if (s.part() != p) continue;
                double x0 = x(s.fromNs(), from, to, plotW), x1 = x(s.toNs(), from, to, plotW);
                c.rect(x0, y + 4, Math.max(0.5, x1 - x0), PART_LANE - 8, color, null, "part " + p.symbol(), s.what() + ": " + us(s.durationNs()));
            }
        }
        if (side != null) hostLanes(c, e, alignment, hostThreads, top + guestH, from, to, plotW);
        // the kernel's moments, labelled in rows so that close marks stay legible
        List<Mark> marks = new ArrayList<>(List.of(
                new Mark("expiry", "intended (timer expiry)", e.expiresNs()),
                new Mark("irq", "timer IRQ entry +" + us(e.timerIrqNs() - e.expiresNs()), e.timerIrqNs()),
                new Mark("wakeup", "wake-up +" + us(e.wakeupNs() - e.expiresNs()), e.wakeupNs()),
                new Mark("switch-in", "switch-in +" + us(e.switchInNs() - e.expiresNs()), e.switchInNs())));
        if (e.measured()) marks.add(new Mark("clock-read", "clock read +" + us(e.latencyNs()), e.expiresNs() + e.latencyNs()));
        List<List<double[]>> rows = new ArrayList<>();
        for (int r = 0; r < LABEL_ROWS; r++) rows.add(new ArrayList<>());
        for (Mark m : marks) {
            double x = x(m.atNs(), from, to, plotW);
            c.line(x, top, x, axisY, Chart.TEXT, 1, !m.cls().equals("expiry"), "mark " + m.cls());
            double w = 5.6 * m.label().length();
            boolean right = x + w > W - RIGHT;
            double left = right ? x - w : x;
            int row = 0;
            while (row < LABEL_ROWS - 1 && overlaps(rows.get(row), left - 4, left + w + 4)) row++;
            rows.get(row).add(new double[] {left, left + w});
            c.text(right ? x - 2 : x + 2, TITLE + (row + 1) * LABEL_ROW, m.label(), 10, right ? "end" : "start", Chart.TEXT, false, false,
                    "mark-label " + m.cls());
        }
        c.rect(LEFT, top, plotW, plotH, null, Chart.FRAME, "frame", null);
        return c.svg();
    }

    /** The host's heading and one lane per QEMU thread from {@code y} down, placed on the guest's time axis. */
    private static void hostLanes(ChartCanvas c, SpikeExplanation e, ClockAlignment a, List<HostThread> threads, double y, long from, long to,
                                  double plotW) {
        c.line(6, y, LEFT + plotW, y, Chart.FRAME, 1, false, "host-separator");
        c.text(LEFT - 6, y + 15, "host", 11, "end", Chart.TEXT, true, false, "lane host-head");
        c.text(LEFT + plotW - 6, y + 12, "QEMU threads on this machine, placed ±" + us(a.errorNs()) + " by the clock alignment", 10, "end",
                Chart.TEXT, false, false, "host-alignment");
        // the bound drawn on the axis around the expiry: how far any host stretch may stand off its true place
        double b0 = Math.max(LEFT, x(e.expiresNs() - a.errorNs(), from, to, plotW)), b1 = Math.min(LEFT + plotW, x(e.expiresNs() + a.errorNs(), from, to, plotW));
        double by = y + HOST_HEAD - 5;
        c.line(b0, by, b1, by, Chart.TEXT, 1, false, "alignment-error");
        c.line(b0, by - 3, b0, by + 3, Chart.TEXT, 1, false, "alignment-error-end");
        c.line(b1, by - 3, b1, by + 3, Chart.TEXT, 1, false, "alignment-error-end");
        // a legend of the states the lanes show, left in the heading
        double lx = LEFT + 4;
        for (HostCause.State st : HostCause.State.values()) {
            if (threads.stream().noneMatch(t -> t.causes().stream().anyMatch(k -> k.state() == st))) continue;
            c.rect(lx, y + 4, 9, 9, STATE_COLORS[st.ordinal()], null, "host-legend " + cls(st), null);
            c.text(lx + 12, y + 12, st.words(), 10, "start", Chart.TEXT, false, false, "host-legend " + cls(st));
            lx += 12 + 5.6 * st.words().length() + 10;
        }
        double ly = y + HOST_HEAD;
        if (threads.isEmpty()) {
            c.text(LEFT + 4, ly + HOST_LANE * 0.65, "no QEMU thread was kept off its CPU in the spike", 10, "start", Chart.TEXT, false, false, "host-none");
        }
        for (HostThread t : threads) {
            c.line(LEFT, ly + HOST_LANE, LEFT + plotW, ly + HOST_LANE, Chart.MINOR_GRID, 1, false, "lane");
            // QEMU names several threads alike (qemu-system-x86): the thread id tells the lanes apart
            c.text(LEFT - 6, ly + 11, t.thread(), 10, "end", Chart.TEXT, t.vcpu(), false, "lane host-thread");
            c.text(LEFT - 6, ly + 20, "tid " + t.tid(), 8, "end", Chart.TICK, false, false, "host-tid");
            if (!t.timed()) {
                StringBuilder words = new StringBuilder("not running " + us(t.notRunningNs()) + ":");
                for (HostCause k : t.causes()) words.append(' ').append(HostCause.words(k.state(), k.by())).append(' ').append(us(k.durationNs())).append(',');
                words.setLength(words.length() - 1);
                c.text(LEFT + 4, ly + HOST_LANE * 0.65, words + " (stored without its times)", 10, "start", Chart.TEXT, false, false, "host-untimed");
            }
            for (HostThread.Stretch st : t.stretches()) {
                long g0 = a.toGuestNs(st.fromHostNs()), g1 = a.toGuestNs(st.toHostNs());
                if (g1 <= from || g0 >= to) continue;
                double x0 = x(Math.max(g0, from), from, to, plotW), x1 = x(Math.min(g1, to), from, to, plotW);
                String color = STATE_COLORS[st.state().ordinal()];
                c.rect(x0, ly + 3, Math.max(0.5, x1 - x0), HOST_LANE - 6, color + "cc", color, "host-stretch " + cls(st.state()),
                        t.label() + " (tid " + t.tid() + ") " + st.words() + ": " + us(g1 - g0) + ", " + since(g0 - e.expiresNs()) + " to "
                                + since(g1 - e.expiresNs()) + " (±" + us(a.errorNs()) + ")");
                if (x1 - x0 > 5.6 * st.words().length() + 6) {
                    c.text((x0 + x1) / 2, ly + HOST_LANE * 0.65, st.words(), 10, "middle", "#ffffff", false, false, "host-stretch-label");
                }
            }
            ly += HOST_LANE;
        }
    }

    /** The state's CSS class: its name in lower case. */
    private static String cls(HostCause.State s) {
        return s.name().toLowerCase(Locale.ROOT);
    }

    private static String since(long ns) {
        return (ns < 0 ? "-" : "+") + us(Math.abs(ns));
    }

    private static boolean overlaps(List<double[]> taken, double from, double to) {
        for (double[] t : taken) if (from < t[1] && t[0] < to) return true;
        return false;
    }

    private static double x(long ns, long from, long to, double plotW) {
        return LEFT + (double) (ns - from) / (to - from) * plotW;
    }

    static String us(long ns) {
        return String.format(Locale.ROOT, "%.1f µs", ns / 1000.0);
    }
}
