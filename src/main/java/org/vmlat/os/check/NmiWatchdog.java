package org.vmlat.os.check;

import java.util.List;
import java.util.Optional;
import org.vmlat.os.check.Finding.Level;

/** The NMI watchdog fires a perf-counter NMI on every CPU periodically, which no priority keeps out. */
final class NmiWatchdog implements HostCheck {
    static final String NAME = "nmi_watchdog";

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        Optional<String> value = tree.text("proc/sys/kernel/nmi_watchdog");
        if (value.isEmpty()) return List.of(new Finding(Level.INFO, NAME, "not available (no /proc/sys/kernel/nmi_watchdog)", ""));
        return List.of(value.get().equals("0")
                ? new Finding(Level.OK, NAME, "off (kernel.nmi_watchdog=0)", "")
                : new Finding(Level.WARN, NAME, "on (kernel.nmi_watchdog=" + value.get() + "): a periodic NMI on every CPU",
                        "sysctl kernel.nmi_watchdog=0 (or nmi_watchdog=0 on the kernel command line) on measuring machines"));
    }
}
