package org.vmlat.os.check;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.vmlat.os.CpuList;
import org.vmlat.os.check.Finding.Level;

/**
 * The host's side of every QEMU guest running here (libvirt's, vmlat's own): a vCPU thread is
 * what the host schedules, so a guest's wake-up latency includes waiting for it. Unpinned or
 * time-shared (SCHED_OTHER) vCPU threads compete with everything else on the host. vCPU threads
 * have names ("CPU 0/KVM") only when QEMU runs with -name ...,debug-threads=on, as libvirt and
 * vmlat start it.
 */
final class VcpuThreads implements HostCheck {
    static final String NAME = "guest vCPUs";
    private static final Pattern VCPU = Pattern.compile("CPU \\d+/(KVM|TCG)");

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        List<Integer> online = tree.cpuList("sys/devices/system/cpu/online");
        List<Finding> out = new ArrayList<>();
        for (Task p : tree.processes()) {
            if (!p.name().startsWith("qemu")) continue;
            List<Task> vcpus = tree.threads(p.id()).stream().filter(t -> VCPU.matcher(t.name()).matches()).toList();
            if (vcpus.isEmpty()) continue;
            List<String> shown = new ArrayList<>();
            boolean weak = false;
            for (Task v : vcpus) {
                // a SCHED_DEADLINE thread is a reservation of its own, and must span its root domain: not pinned
                boolean reserved = v.policy().equals("DEADLINE");
                weak |= !reserved && (v.allowedCpus().size() != 1 || !v.realtime());
                shown.add(v.name() + " " + v.scheduling() + " on " + (v.allowedCpus().isEmpty() ? "?"
                        : v.allowedCpus().equals(online) ? "any CPU" : CpuList.format(v.allowedCpus())));
            }
            String fact = "guest " + guestName(p) + " (pid " + p.id() + "): " + String.join(", ", shown);
            out.add(weak
                    ? new Finding(Level.WARN, NAME, fact, "pin each vCPU to its own isolated host CPU and run it SCHED_FIFO "
                            + "(libvirt: <vcpupin>, <vcpusched scheduler='fifo' priority='1'>; vmlat's qemu targets: pin and vcpu_priority)")
                    : new Finding(Level.OK, NAME, fact, ""));
        }
        if (out.isEmpty()) {
            out.add(new Finding(Level.INFO, NAME, "no QEMU guest with named vCPU threads runs on this host",
                    "start the guest first to see its vCPU threads' scheduling and pinning here"));
        }
        return out;
    }

    /** "-name guest=rt1,debug-threads=on" or "-name rt1" -> "rt1". */
    static String guestName(Task qemu) {
        List<String> args = qemu.arguments();
        int at = args.indexOf("-name");
        if (at < 0 || at + 1 >= args.size()) return "?";
        for (String part : args.get(at + 1).split(",")) {
            if (part.startsWith("guest=")) return part.substring("guest=".length());
            if (!part.contains("=")) return part;
        }
        return "?";
    }
}
