package org.vmlat.os.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.check.Finding.Level;

/**
 * Processes holding /dev/cpu_dma_latency open: each holds a PM QoS request that bounds the
 * idle-state exit latency for the whole machine while it stays open, so figures measured with a
 * holder around (a forgotten cyclictest, tuned) are not those of the plain machine.
 */
final class CpuDmaLatencyHolders implements HostCheck {
    static final String NAME = "cpu_dma_latency";
    static final String DEVICE = "/dev/cpu_dma_latency";

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        List<String> holders = new ArrayList<>();
        int unreadable = 0;
        for (Task p : tree.processes()) {
            Optional<List<String>> files = tree.openFiles(p.id());
            if (files.isEmpty()) {
                unreadable++;
            } else if (files.get().contains(DEVICE)) {
                holders.add(p.name() + " (pid " + p.id() + ")");
            }
        }
        String blind = unreadable == 0 ? "" : " (" + unreadable + " processes' open files unreadable: run as root to see them)";
        if (holders.isEmpty()) {
            return List.of(new Finding(Level.INFO, NAME, "held by no process" + blind,
                    "idle states follow the governor; vmlat holds it at 0 while it measures"));
        }
        return List.of(new Finding(Level.INFO, NAME, "held by " + String.join(", ", holders) + blind,
                "their requests limit idle states machine-wide while they run: figures then are those of that setting"));
    }
}
