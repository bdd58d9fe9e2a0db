package org.vmlat.os;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The kernel's CPU list syntax ("0-3,8,10-11"), as in /sys and cyclictest's {@code -a}. */
public final class CpuList {
    /** The highest CPU number a Linux kernel can have (NR_CPUS is at most 8192). */
    public static final int MAX_CPU = 8191;

    private CpuList() {}

    /** @throws IllegalArgumentException naming the bad part */
    public static List<Integer> parse(String text) {
        TreeSet<Integer> cpus = new TreeSet<>();
        String t = text.strip();
        if (t.isEmpty()) return List.of();
        for (String part : t.split(",")) {
            String p = part.strip();
            try {
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int a = Integer.parseInt(p.substring(0, dash).strip());
                    int b = Integer.parseInt(p.substring(dash + 1).strip());
                    if (a > b || a < 0) throw new IllegalArgumentException("bad CPU range \"" + p + "\"");
                    if (b > MAX_CPU) throw new IllegalArgumentException("CPU " + b + " in \"" + p + "\" is above " + MAX_CPU + ", the most a Linux kernel has");
                    for (int c = a; c <= b; c++) cpus.add(c);
                } else {
                    int c = Integer.parseInt(p);
                    if (c < 0) throw new IllegalArgumentException("bad CPU number \"" + p + "\"");
                    if (c > MAX_CPU) throw new IllegalArgumentException("CPU " + c + " is above " + MAX_CPU + ", the most a Linux kernel has");
                    cpus.add(c);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad CPU list part \"" + p + "\" (expected e.g. 0-3,6)");
            }
        }
        return new ArrayList<>(cpus);
    }

    public static String format(List<Integer> cpus) {
        if (cpus.isEmpty()) return "";
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(cpus));
        StringBuilder sb = new StringBuilder();
        int start = sorted.get(0), prev = start;
        for (int k = 1; k <= sorted.size(); k++) {
            Integer c = k < sorted.size() ? sorted.get(k) : null;
            if (c != null && c == prev + 1) {
                prev = c;
                continue;
            }
            if (sb.length() > 0) sb.append(',');
            sb.append(start);
            if (prev != start) sb.append('-').append(prev);
            if (c != null) start = prev = c;
        }
        return sb.toString();
    }
}
