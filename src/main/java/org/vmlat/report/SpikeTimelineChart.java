package org.vmlat.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vmlat.explain.Part;
import org.vmlat.explain.SpikeExplanation;

/**
 * One explained spike on a time line, in the report's chart design ({@link Chart}'s colours, grid and type): a lane
 * for the probe's CPU showing what held it from the intended wake-up to the probe's clock read, coloured by the part
 * of the latency each stretch counts in; below it one lane per part (L¹, L², I) with the part's stretches and its
 * total in µs; vertical marks at the intended time (the timer's expiry), the timer interrupt's entry, the wake-up, the
 * switch-in and the clock read. Time runs from the expiry, labelled in µs/ms.
 */
final class SpikeTimelineChart {
    /** A colour per part, in the order of {@link Part}: the categorical colours of the other charts. */
    static final String[] PART_COLORS = {Chart.COLORS[1], Chart.COLORS[0], Chart.COLORS[2]};
    private static final double W = 800, LEFT = 96, RIGHT = 16, TITLE = 22, LABEL_ROW = 12, CPU_LANE = 30, PART_LANE = 18, AXIS = 40;
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
        double plotH = CPU_LANE + Part.values().length * PART_LANE;
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
