package org.vmlat.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two schedules of one task set over the same window, one above the other: the theoretical one
 * (no latency) and the actual one (releases delayed). One lane per task, a bar per stretch a job
 * ran, a red mark at the deadline that was missed first. Inline SVG like the other charts.
 */
public final class ScheduleChart {
    /** One stretch of processor time given to a job. */
    public record Bar(String task, long job, long startNs, long endNs) {}

    /** A schedule with its caption. */
    public record Schedule(String caption, List<Bar> bars) {
        public Schedule {
            bars = List.copyOf(bars);
        }
    }

    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f", "#e15759"};
    private static final double LEFT = 70, RIGHT = 20, LANE = 22, WIDTH = 860;

    private ScheduleChart() {}

    /**
     * @param tasks     task names in lane order (highest priority first)
     * @param missAtNs  the deadline that was missed first, or -1
     */
    public static String svg(List<String> tasks, List<Schedule> schedules, long fromNs, long toNs, long missAtNs) {
        if (toNs <= fromNs) throw new IllegalArgumentException("window: end " + toNs + " ns must be after start " + fromNs + " ns");
        double blockH = 30 + tasks.size() * LANE + 24;
        double h = schedules.size() * blockH + 10;
        SvgCanvas c = new SvgCanvas(WIDTH, h, "theoretical and actual schedule");
        Map<String, Integer> lane = new LinkedHashMap<>();
        for (String t : tasks) lane.put(t, lane.size());
        double plotW = WIDTH - LEFT - RIGHT;
        double scale = plotW / (toNs - fromNs);
        double y0 = 0;
        for (Schedule s : schedules) {
            c.text(LEFT, y0 + 18, s.caption(), 13, "start", "#222", true, false, "caption");
            double top = y0 + 28;
            for (Map.Entry<String, Integer> e : lane.entrySet()) {
                double y = top + e.getValue() * LANE;
                c.text(LEFT - 6, y + LANE * 0.65, e.getKey(), 11, "end", "#222", false, false, "task");
                c.line(LEFT, y + LANE, LEFT + plotW, y + LANE, "#bbb", 0.5, false, "lane");
            }
            for (Bar b : s.bars()) {
                Integer l = lane.get(b.task());
                if (l == null) continue;
                double x = LEFT + (Math.max(b.startNs(), fromNs) - fromNs) * scale;
                double w = Math.max(0.5, (Math.min(b.endNs(), toNs) - Math.max(b.startNs(), fromNs)) * scale);
                c.rect(x, top + l * LANE + 3, w, LANE - 6, COLOURS[l % COLOURS.length], "#333", "job",
                        b.task() + " job " + b.job() + ": " + Micros.of(b.startNs()) + " to " + Micros.of(b.endNs()) + " us");
            }
            double axis = top + tasks.size() * LANE;
            for (long tick : ticks(fromNs, toNs)) {
                double x = LEFT + (tick - fromNs) * scale;
                c.line(x, axis, x, axis + 4, "#555", 1, false, "tick");
                c.text(x, axis + 15, Micros.of(tick) + " us", 9, "middle", "#555", false, false, "tick");
            }
            if (missAtNs >= fromNs && missAtNs <= toNs) {
                double x = LEFT + (missAtNs - fromNs) * scale;
                c.line(x, top, x, axis, "#d62728", 1.5, true, "miss");
            }
            y0 += blockH;
        }
        return c.svg();
    }

    /** About eight round tick positions (1, 2 or 5 times a power of ten ns) within the window. */
    static List<Long> ticks(long fromNs, long toNs) {
        double raw = (toNs - fromNs) / 8.0;
        long step = 1;
        while (step * 10 <= raw) step *= 10;
        if (step * 5 <= raw) step *= 5;
        else if (step * 2 <= raw) step *= 2;
        List<Long> out = new ArrayList<>();
        for (long t = (fromNs + step - 1) / step * step; t <= toNs; t += step) out.add(t);
        return out;
    }
}
