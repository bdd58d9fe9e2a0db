package org.vmlat.report;

import org.vmlat.latency.InputText;

/**
 * Text from plans and stores shown on a terminal made inert: control characters (ESC, BEL, C1,
 * DEL) and the invisible reordering marks (right-to-left override, isolates) are shown as escapes
 * ({@code \x1b}, and U+202E as backslash, u, 202e), so a name cannot retitle, clear or reorder the user's terminal.
 * A backslash that could start such an escape (before {@code x} or {@code u}) is doubled, so what
 * is shown reads back as exactly one text; other backslashes (a table's "rows \ columns" corner)
 * stay as they are.
 */
public final class TerminalText {
    private TerminalText() {}

    public static String inert(String s) {
        if (s == null) return null;
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean escapeLike = c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'u');
            String rep = escapeLike ? "\\\\" : InputText.isControl(c) ? (c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c)) : null;
            if (rep == null) {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            sb.append(rep);
        }
        return sb == null ? s : sb.toString();
    }
}
