package org.vmlat.report;

import java.util.List;

/**
 * A plain terminal table: first column left-aligned, the others right-aligned (numbers). Cells
 * are shown inert ({@link TerminalText}): names come from plans and stores.
 */
public final class Table {
    private Table() {}

    public static String render(List<String> header, List<List<String>> rows) {
        header = header.stream().map(TerminalText::inert).toList();
        rows = rows.stream().map(r -> r.stream().map(TerminalText::inert).toList()).toList();
        int[] w = new int[header.size()];
        for (int c = 0; c < w.length; c++) w[c] = header.get(c).length();
        for (List<String> r : rows) for (int c = 0; c < w.length; c++) w[c] = Math.max(w[c], r.get(c).length());
        StringBuilder sb = new StringBuilder();
        line(sb, header, w);
        for (int c = 0; c < w.length; c++) {
            sb.append(c == 0 ? "" : "  ").append("-".repeat(w[c]));
        }
        sb.append('\n');
        for (List<String> r : rows) line(sb, r, w);
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<String> cells, int[] w) {
        for (int c = 0; c < w.length; c++) {
            String s = cells.get(c);
            if (c > 0) sb.append("  ");
            if (c == 0) sb.append(s).append(" ".repeat(w[c] - s.length()));
            else sb.append(" ".repeat(w[c] - s.length())).append(s);
        }
        int end = sb.length();
        while (end > 0 && sb.charAt(end - 1) == ' ') end--;
        sb.setLength(end);
        sb.append('\n');
    }
}
