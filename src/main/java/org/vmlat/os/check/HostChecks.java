package org.vmlat.os.check;

import java.util.ArrayList;
import java.util.List;

/** The registered {@link HostCheck}s, in the order doctor prints them: a new check is one line here. */
public final class HostChecks {
    private static final List<HostCheck> ALL = List.of(
            new IrqThreadPriorities(),
            new SmtSiblings(),
            new Irqbalance(),
            new TransparentHugePages(),
            new NmiWatchdog(),
            new TimerMigration(),
            new TunedProfile(),
            new CpuDmaLatencyHolders(),
            new VcpuThreads());

    private HostChecks() {}

    public static List<HostCheck> all() {
        return ALL;
    }

    public static List<Finding> run(SystemTree tree, CheckScope scope) {
        List<Finding> out = new ArrayList<>();
        for (HostCheck c : ALL) out.addAll(c.check(tree, scope));
        return out;
    }
}
