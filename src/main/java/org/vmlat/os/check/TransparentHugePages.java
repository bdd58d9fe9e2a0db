package org.vmlat.os.check;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vmlat.os.check.Finding.Level;

/**
 * Transparent huge pages set to "always": khugepaged collapses pages behind running tasks and a
 * page fault may compact memory synchronously (defrag), both stalls an RT task can meet.
 */
final class TransparentHugePages implements HostCheck {
    static final String NAME = "transparent hugepages";
    private static final Pattern SELECTED = Pattern.compile("\\[([^]]+)]");

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        Optional<String> enabled = tree.text("sys/kernel/mm/transparent_hugepage/enabled").map(TransparentHugePages::selected);
        Optional<String> defrag = tree.text("sys/kernel/mm/transparent_hugepage/defrag").map(TransparentHugePages::selected);
        if (enabled.isEmpty()) return List.of(new Finding(Level.INFO, NAME, "not available (no /sys/kernel/mm/transparent_hugepage)", ""));
        String fact = "enabled=" + enabled.get() + ", defrag=" + defrag.orElse("?");
        boolean always = enabled.get().equals("always") || defrag.map("always"::equals).orElse(false);
        return List.of(always
                ? new Finding(Level.WARN, NAME, fact, "page collapsing and synchronous compaction stall tasks: echo madvise (or never) > /sys/kernel/mm/transparent_hugepage/enabled and defrag, or transparent_hugepage=never")
                : new Finding(Level.OK, NAME, fact, ""));
    }

    /** "always [madvise] never" -> "madvise". */
    static String selected(String line) {
        Matcher m = SELECTED.matcher(line);
        return m.find() ? m.group(1) : line;
    }
}
