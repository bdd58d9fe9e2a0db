package org.vmlat.os.check;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.os.CpuList;
import org.vmlat.os.check.Finding.Level;

/**
 * Hyper-threads sharing a core with a measuring CPU: whatever runs on the sibling competes for the
 * core's pipeline and caches, so the probe's wake-up path slows with the sibling's load.
 */
final class SmtSiblings implements HostCheck {
    static final String NAME = "SMT siblings";

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        List<Integer> online = tree.cpuList("sys/devices/system/cpu/online");
        List<String> shared = new ArrayList<>();
        int known = 0;
        for (int cpu : scope.measuringCpus()) {
            List<Integer> siblings = new ArrayList<>(tree.cpuList("sys/devices/system/cpu/cpu" + cpu + "/topology/thread_siblings_list"));
            if (siblings.isEmpty()) continue;
            known++;
            siblings.remove(Integer.valueOf(cpu));
            if (!online.isEmpty()) siblings.retainAll(online);
            if (!siblings.isEmpty()) shared.add("CPU " + cpu + " with " + CpuList.format(siblings));
        }
        String cpus = CpuList.format(scope.measuringCpus());
        if (known == 0) {
            return List.of(new Finding(Level.INFO, NAME, "no topology for CPUs " + cpus + " (thread_siblings_list unreadable)", ""));
        }
        if (shared.isEmpty()) {
            return List.of(new Finding(Level.OK, NAME, "CPUs " + cpus + " share their cores with no online CPU", ""));
        }
        return List.of(new Finding(Level.WARN, NAME, "cores shared: " + String.join(", ", shared),
                "load on a sibling slows the probe's core: keep siblings idle (isolate them too) or turn SMT off (echo off > /sys/devices/system/cpu/smt/control, or nosmt)"));
    }
}
