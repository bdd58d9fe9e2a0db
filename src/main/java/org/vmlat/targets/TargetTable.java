package org.vmlat.targets;

import java.util.List;
import org.vmlat.latency.FormatException;

/**
 * One {@code [[target]]} table of a plan as a kind reads it: typed values, and errors located at
 * the file, line and key ({@code plan.toml:27: target "vm".qemu_priority: expected 0..99}). The
 * plan reader checks beforehand that every key is one the kind accepts.
 */
public interface TargetTable {
    /** The target as errors name it, e.g. {@code target "vm"}. */
    String where();

    /** This machine's online CPUs (empty when unknown), for settings that pin to host CPUs. */
    List<Integer> onlineCpus();

    boolean has(String key);

    /** A string value, or {@code dflt} (may be null) when absent. */
    String string(String key, String dflt);

    long integer(String key, long dflt);

    /** A duration with a unit ("30s"), in ns. */
    long durationNs(String key, long dflt);

    boolean bool(String key, boolean dflt);

    /** An array of one-line strings (empty when absent); {@code expected} describes it in errors. */
    List<String> strings(String key, String expected);

    /**
     * An error at {@code key}'s line, or at the table's first line when the key is absent or null;
     * the field is {@code where().key}, or {@code where()} for a null key.
     */
    FormatException error(String key, String problem);

    /** An integer in min..max; {@code meaning} follows the range in errors, e.g. " (0 = normal)". */
    default int integerIn(String key, long dflt, int min, int max, String meaning) {
        long v = integer(key, dflt);
        if (v < min || v > max) throw error(key, "expected " + min + ".." + max + meaning + ", got " + v);
        return (int) v;
    }
}
