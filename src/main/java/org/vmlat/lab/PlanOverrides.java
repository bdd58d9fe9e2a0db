package org.vmlat.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code lab run --duration/--repetitions}: values that replace the plan's own, written into the
 * plan's text before it is read, so they are checked as the file's are (cyclictest's whole
 * seconds, intervals within the duration) and the run records the text it ran (a resumed run
 * keeps them). Each replaced line keeps a comment with what the file said.
 *
 * @param duration    the per-scenario duration as written in a plan ("2s", "500ms"), or null
 * @param repetitions the repetitions, or null
 */
public record PlanOverrides(String duration, Integer repetitions) {
    public static final PlanOverrides NONE = new PlanOverrides(null, null);
    private static final Pattern TABLE = Pattern.compile("\\s*\\[.*");

    public PlanOverrides {
        if (duration != null && (duration.isBlank() || duration.contains("\"") || duration.contains("\n"))) {
            throw new IllegalArgumentException("--duration: expected a duration such as 30s or 500ms, got \"" + duration + "\"");
        }
    }

    public boolean any() {
        return duration != null || repetitions != null;
    }

    /** The plan text with the overridden keys' lines replaced (or added at the top when the file has none). */
    public String apply(String text) {
        if (!any()) return text;
        List<String> lines = new ArrayList<>(text.lines().toList());
        if (duration != null) set(lines, "duration", "\"" + duration + "\"", "--duration");
        if (repetitions != null) set(lines, "repetitions", repetitions.toString(), "--repetitions");
        return String.join("\n", lines) + "\n";
    }

    private static void set(List<String> lines, String key, String value, String option) {
        Pattern own = Pattern.compile("\\s*" + key + "\\s*=.*");
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (TABLE.matcher(l).matches()) break; // past the top-level keys
            if (own.matcher(l).matches()) {
                lines.set(i, key + " = " + value + "   # " + option + " on the command line; the file said: "
                        + l.strip().replace("#", "").strip());
                return;
            }
        }
        lines.add(0, key + " = " + value + "   # " + option + " on the command line");
    }
}
