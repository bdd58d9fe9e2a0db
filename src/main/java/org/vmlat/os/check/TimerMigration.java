package org.vmlat.os.check;

import java.util.List;
import java.util.Optional;
import org.vmlat.os.check.Finding.Level;

/**
 * kernel.timer_migration: with 1 the kernel may expire a timer armed on an idle CPU on another
 * CPU, so timer work moves between CPUs (onto a measuring one too); with 0 each timer fires where
 * it was armed, which RT tuning usually prefers for reproducible figures.
 */
final class TimerMigration implements HostCheck {
    static final String NAME = "timer_migration";

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        Optional<String> value = tree.text("proc/sys/kernel/timer_migration");
        if (value.isEmpty()) return List.of(new Finding(Level.INFO, NAME, "not available (no /proc/sys/kernel/timer_migration)", ""));
        return List.of(value.get().equals("0")
                ? new Finding(Level.OK, NAME, "off (kernel.timer_migration=0): timers fire on the CPU that armed them", "")
                : new Finding(Level.INFO, NAME, "on (kernel.timer_migration=" + value.get() + "): timers of idle CPUs may expire on other CPUs",
                        "sysctl kernel.timer_migration=0 keeps timer work where it was armed"));
    }
}
