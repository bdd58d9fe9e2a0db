package org.vmlat.targets.image;

import org.vmlat.targets.MatrixDimension;

/**
 * The {@code guest_cmdline} matrix dimension: kernel parameters appended to a guest's command line
 * ("" = nothing added), e.g. {@code xen_timer_slop=0}. The line travels inside QEMU's -append and
 * inside xl's double-quoted {@code extra = "..."}, neither of which can escape a quote, and /init
 * reads vmlat's own parameters from it: what would break either is refused.
 */
public final class GuestCmdline {
    /** The dimension's name in plans. */
    public static final String DIMENSION = "guest_cmdline";

    private GuestCmdline() {}

    public static MatrixDimension dimension() {
        return new MatrixDimension(DIMENSION, GuestCmdline::check);
    }

    /** The parameters with runs of blanks made one space; throws IllegalArgumentException with the problem. */
    public static String check(String value) {
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\'' || c == '\\' || c == '\n' || c == '\r' || c < 0x20 && c != '\t') {
                throw new IllegalArgumentException("contains " + shown(c) + ", which the guest's command line (QEMU -append, xl extra) cannot carry");
            }
        }
        String v = value.strip().replaceAll("[ \t]+", " ");
        for (String p : v.isEmpty() ? new String[0] : v.split(" ")) {
            if (p.startsWith("vmlat.")) throw new IllegalArgumentException("\"" + p + "\": vmlat.* parameters are vmlat's own (the guest's /init reads them)");
            if (p.equals("--")) throw new IllegalArgumentException("\"--\" would hand vmlat's own parameters after it to init");
        }
        return v;
    }

    /** The parameters followed by a space, or "" when there are none: to go in front of vmlat's own. */
    public static String prefix(String checked) {
        return checked.isEmpty() ? "" : checked + " ";
    }

    private static String shown(char c) {
        return switch (c) {
            case '"' -> "a double quote";
            case '\'' -> "a single quote";
            case '\\' -> "a backslash";
            case '\n' -> "a newline";
            case '\r' -> "a carriage return";
            default -> "the control character U+" + String.format("%04X", (int) c);
        };
    }
}
