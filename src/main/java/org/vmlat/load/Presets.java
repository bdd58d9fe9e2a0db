package org.vmlat.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stress presets. They mirror the reference study's "kernel stress": non-real-time processes
 * that make many system calls, trigger many interrupts, or keep the scheduler busy. Each uses
 * stress-ng or hackbench (rt-tests) when installed and falls back to vmlat's built-in Java load
 * of the same kind otherwise (saying so).
 */
public final class Presets {
    /** preset -> description, for errors and docs. */
    public static final Map<String, String> ALL = Map.of(
            "syscall", "many system calls (stress-ng --get --sysinfo; fallback builtin-syscall)",
            "io", "I/O and its interrupts (stress-ng --iomix; fallback builtin-disk)",
            "scheduler", "many context switches (hackbench; fallback builtin-pipe)",
            "cpu", "CPU-bound work (stress-ng --cpu; fallback builtin-cpu)",
            "memory", "memory churn and page faults (stress-ng --vm; fallback builtin-memory)",
            "builtin-syscall", "vmlat's own: tight loop of cheap system calls",
            "builtin-pipe", "vmlat's own: ping-pong over pipes between threads",
            "builtin-disk", "vmlat's own: write and fsync a temporary file",
            "builtin-memory", "vmlat's own: allocate and touch memory",
            "builtin-cpu", "vmlat's own: arithmetic loop");

    /** The resolved command line and whether the built-in fallback was used. */
    public record Resolved(List<String> command, boolean fallback) {}

    private Presets() {}

    /**
     * @param builtin the command prefix that runs vmlat's built-in load (java ... Vmlat _load)
     * @param tools   which tools exist (name -> path or null)
     */
    public static Resolved resolve(String preset, int instances, Map<String, String> tools, List<String> builtin, String tmpDir) {
        String n = Integer.toString(instances);
        String stress = tools.get("stress-ng"), hackbench = tools.get("hackbench");
        switch (preset) {
            case "syscall":
                if (stress != null) return new Resolved(List.of(stress, "--get", n, "--sysinfo", n, "--timeout", "0", "--quiet"), false);
                return builtin(builtin, "syscall", n, true);
            case "io":
                if (stress != null) return new Resolved(List.of(stress, "--iomix", n, "--temp-path", tmpDir, "--timeout", "0", "--quiet"), false);
                return builtin(builtin, "disk", n, true);
            case "scheduler":
                if (hackbench != null) {
                    return new Resolved(List.of(hackbench, "--groups", n, "--fds", "20", "--loops", "1000000000", "--datasize", "100"), false);
                }
                return builtin(builtin, "pipe", n, true);
            case "cpu":
                if (stress != null) return new Resolved(List.of(stress, "--cpu", n, "--timeout", "0", "--quiet"), false);
                return builtin(builtin, "cpu", n, true);
            case "memory":
                if (stress != null) return new Resolved(List.of(stress, "--vm", n, "--vm-bytes", "128M", "--timeout", "0", "--quiet"), false);
                return builtin(builtin, "memory", n, true);
            default:
                if (preset.startsWith("builtin-") && ALL.containsKey(preset)) return builtin(builtin, preset.substring(8), n, false);
                throw new IllegalArgumentException("unknown load preset \"" + preset + "\" (known: " + String.join(", ", new java.util.TreeSet<>(ALL.keySet())) + ")");
        }
    }

    private static Resolved builtin(List<String> prefix, String kind, String n, boolean fallback) {
        List<String> c = new ArrayList<>(prefix);
        c.add(kind);
        c.add(n);
        return new Resolved(c, fallback);
    }
}
