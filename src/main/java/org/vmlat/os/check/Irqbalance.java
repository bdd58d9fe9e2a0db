package org.vmlat.os.check;

import java.util.List;
import org.vmlat.os.check.Finding.Level;

/** irqbalance rewrites IRQ affinities every few seconds, and can move an IRQ onto a measuring CPU mid-run. */
final class Irqbalance implements HostCheck {
    static final String NAME = "irqbalance";

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        List<Task> running = tree.processes().stream().filter(t -> t.name().equals("irqbalance")).toList();
        if (running.isEmpty()) return List.of(new Finding(Level.OK, NAME, "not running", ""));
        return List.of(new Finding(Level.WARN, NAME, "running (pid " + running.get(0).id() + ")",
                "it may move IRQs onto measuring CPUs during a run: systemctl stop irqbalance, or IRQBALANCE_BANNED_CPULIST=<measuring CPUs> in its configuration"));
    }
}
