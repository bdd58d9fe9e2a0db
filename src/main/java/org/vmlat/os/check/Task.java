package org.vmlat.os.check;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.CpuList;

/**
 * One process or thread as /proc shows it: its name, scheduling and the CPUs it may run on.
 *
 * @param policy      "OTHER", "FIFO", "RR", "BATCH", "IDLE" or "DEADLINE" (stat field 41)
 * @param rtPriority  the real-time priority 1..99, 0 for the non-real-time policies (stat field 40)
 * @param allowedCpus Cpus_allowed_list from status; empty when unknown
 * @param cmdline     the arguments, NUL-separated as in /proc (empty for kernel threads)
 */
public record Task(int id, String name, String policy, int rtPriority, List<Integer> allowedCpus, String cmdline) {
    private static final String[] POLICIES = {"OTHER", "FIFO", "RR", "BATCH", "ISO", "IDLE", "DEADLINE"};

    public Task {
        allowedCpus = List.copyOf(allowedCpus);
    }

    public boolean realtime() {
        return policy.equals("FIFO") || policy.equals("RR");
    }

    /** "FIFO 50", "OTHER". */
    public String scheduling() {
        return realtime() ? policy + " " + rtPriority : policy;
    }

    /** The arguments of the command line. */
    public List<String> arguments() {
        return cmdline.isEmpty() ? List.of() : Arrays.asList(cmdline.split("\0"));
    }

    /** Empty when stat is not the kernel's format (the name in parentheses, then 50 fields). */
    static Optional<Task> parse(int id, String comm, String stat, String status, String cmdline) {
        int close = stat.lastIndexOf(')');
        if (close < 0) return Optional.empty();
        String[] fields = stat.substring(close + 1).strip().split("\\s+");
        // fields[0] is stat field 3 (state): field N is fields[N - 3]
        if (fields.length < 39) return Optional.empty();
        try {
            int priority = Integer.parseInt(fields[40 - 3]);
            int policy = Integer.parseInt(fields[41 - 3]);
            String name = comm.isEmpty() ? stat.substring(stat.indexOf('(') + 1, close) : comm;
            return Optional.of(new Task(id, name, policy >= 0 && policy < POLICIES.length ? POLICIES[policy] : "policy " + policy,
                    priority, allowed(status), cmdline));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static List<Integer> allowed(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Cpus_allowed_list:")) {
                try {
                    return CpuList.parse(line.substring(line.indexOf(':') + 1).strip());
                } catch (IllegalArgumentException e) {
                    return List.of();
                }
            }
        }
        return List.of();
    }
}
