package org.vmlat.os.check;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.os.CpuList;
import org.vmlat.os.check.Finding.Level;

/**
 * Threaded IRQ handlers ("irq/N-name", every IRQ on PREEMPT_RT, most with threadirqs) that may run
 * on a measuring CPU at or above the probe's priority: one that outranks the probe preempts it, one
 * that ties keeps the CPU until it blocks (SCHED_FIFO does not preempt an equal), and either way the
 * probe's wake-up waits for the handler.
 */
final class IrqThreadPriorities implements HostCheck {
    static final String NAME = "IRQ threads";
    private static final int SHOWN = 6;

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        int threads = 0;
        int highest = 0;
        List<String> outrank = new ArrayList<>();
        for (Task t : tree.processes()) {
            if (!t.name().startsWith("irq/")) continue;
            List<Integer> shared = new ArrayList<>(t.allowedCpus());
            shared.retainAll(scope.measuringCpus());
            if (!t.allowedCpus().isEmpty() && shared.isEmpty()) continue;
            threads++;
            if (!t.realtime()) continue;
            highest = Math.max(highest, t.rtPriority());
            if (t.rtPriority() >= scope.probePriority()) {
                outrank.add(t.name() + " (pid " + t.id() + ", " + t.scheduling()
                        + (t.rtPriority() == scope.probePriority() ? " ties" : " outranks") + ", CPUs " + CpuList.format(shared) + ")");
            }
        }
        String cpus = CpuList.format(scope.measuringCpus());
        if (threads == 0) {
            return List.of(new Finding(Level.INFO, NAME, "no threaded IRQ handlers on CPUs " + cpus,
                    "hard IRQ handlers interrupt the probe at any priority; PREEMPT_RT or threadirqs makes them threads with priorities"));
        }
        if (outrank.isEmpty()) {
            return List.of(new Finding(Level.OK, NAME, threads + " IRQ threads may run on CPUs " + cpus
                    + ", highest FIFO " + highest + " < the probe's " + scope.probePriority(), ""));
        }
        String listed = String.join(", ", outrank.subList(0, Math.min(SHOWN, outrank.size())))
                + (outrank.size() > SHOWN ? " and " + (outrank.size() - SHOWN) + " more" : "");
        return List.of(new Finding(Level.WARN, NAME, outrank.size() + " of " + threads + " IRQ threads on CPUs " + cpus
                + " at or above the probe's FIFO " + scope.probePriority() + ": " + listed,
                "their IRQs delay the probe's wake-ups: lower them (chrt -f -p 50 PID) or move the IRQs off the measuring CPUs (/proc/irq/N/smp_affinity_list)"));
    }
}
