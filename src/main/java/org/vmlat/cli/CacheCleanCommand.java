package org.vmlat.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.vmlat.targets.VmlatCache;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "clean", header = "Delete build leftovers, and with --older-than or --all cached images and kept consoles; never what a running vmlat uses.",
        mixinStandardHelpOptions = true,
        description = "Without options only leftovers go (build-* folders of interrupted image builds, KVM answers of earlier host boots). "
                + "Entries a running guest names, and every image while another vmlat runs, are kept and listed with the reason.")
public final class CacheCleanCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--all", description = "Also every cached image and kept console not in use.")
    boolean all;

    @Option(names = "--older-than", paramLabel = "AGE", converter = Converters.Seconds.class,
            description = "Also entries not modified for AGE (7d, 12h; a bare number is seconds).")
    Long olderThanNs;

    @Option(names = "--dry-run", description = "Only say what would be deleted.")
    boolean dryRun;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (olderThanNs != null && olderThanNs <= 0) throw new VmlatException(ExitCodes.USAGE, "--older-than: expected a positive age such as 7d");
        VmlatCache cache = VmlatCache.standard();
        Instant now = Instant.now();
        VmlatCache.Cleaned done = cache.clean(new VmlatCache.Sweep(all, Optional.ofNullable(olderThanNs).map(Duration::ofNanos)), dryRun, now);
        CacheListCommand.print(out, dryRun ? "# would delete" : "# deleted", done.removed(), now);
        CacheListCommand.print(out, "# kept", done.kept(), now);
        out.flush();
        return ExitCodes.OK;
    }
}
