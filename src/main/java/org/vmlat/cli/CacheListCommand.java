package org.vmlat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vmlat.latency.Durations;
import org.vmlat.targets.VmlatCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "list", header = "List cached images, build leftovers and kept guest consoles with sizes and ages.", mixinStandardHelpOptions = true)
public final class CacheListCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        VmlatCache cache = VmlatCache.standard();
        List<VmlatCache.Entry> entries = cache.list();
        print(out, "# " + cache.cacheRoot() + " and " + cache.consoles(), entries, Instant.now());
        out.flush();
        return ExitCodes.OK;
    }

    static void print(PrintWriter out, String title, List<VmlatCache.Entry> entries, Instant now) {
        long total = entries.stream().mapToLong(VmlatCache.Entry::bytes).sum();
        out.println(title + ": " + entries.size() + " entries, " + size(total));
        out.printf(Locale.ROOT, "%9s %7s  %-15s %s%n", "SIZE", "AGE", "KIND", "PATH");
        for (VmlatCache.Entry e : entries) {
            out.printf(Locale.ROOT, "%9s %7s  %-15s %s%s%n", size(e.bytes()), age(e.modified(), now), e.kind(), e.path(),
                    e.usedBy().map(u -> "  (in use: " + u + ")").orElse(e.leftover() ? "  (leftover)" : ""));
        }
    }

    static String size(long bytes) {
        if (bytes < 1024 * 1024) return String.format(Locale.ROOT, "%.1f kB", bytes / 1024.0);
        return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
    }

    /** Whole units: "3d", "5h", "12m". */
    static String age(Instant modified, Instant now) {
        long ns = Math.max(0, Duration.between(modified, now).toNanos());
        long unit = ns >= Durations.Unit.D.ns ? Durations.Unit.D.ns : ns >= Durations.Unit.H.ns ? Durations.Unit.H.ns : Durations.Unit.M.ns;
        String suffix = unit == Durations.Unit.D.ns ? "d" : unit == Durations.Unit.H.ns ? "h" : "m";
        return ns / unit + suffix;
    }
}
