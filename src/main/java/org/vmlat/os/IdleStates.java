package org.vmlat.os;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cyclictest's and rtla's {@code --deepest-idle-state N}: the idle states deeper than N of some
 * CPUs disabled through cpuidle's sysfs files ({@code cpuN/cpuidle/stateK/disable}), each file's
 * previous value saved and written back by {@link #close()}. Deeper states have higher numbers;
 * -1 disables them all, state 0 (polling) included.
 */
public final class IdleStates implements AutoCloseable {
    /** Where the CPUs' directories are on a live system. */
    public static final Path SYSFS_CPUS = Path.of("/sys/devices/system/cpu");

    private final Map<Path, String> saved;

    private IdleStates(Map<Path, String> saved) {
        this.saved = saved;
    }

    /**
     * @throws IOException naming the file when a state cannot be read or disabled (what was already
     *                     disabled is restored first), or when a CPU has no cpuidle states at all
     */
    public static IdleStates limit(Path cpusDir, List<Integer> cpus, int deepest) throws IOException {
        Map<Path, String> saved = new LinkedHashMap<>();
        IdleStates held = new IdleStates(saved);
        try {
            for (int cpu : cpus) {
                Path dir = cpusDir.resolve("cpu" + cpu).resolve("cpuidle");
                List<Path> states = states(dir);
                if (states.isEmpty()) throw new IOException(dir + ": no cpuidle states (no cpuidle driver on CPU " + cpu + ")");
                for (int k = deepest + 1; k < states.size(); k++) {
                    Path disable = states.get(k).resolve("disable");
                    saved.put(disable, Files.readString(disable).strip());
                    Files.writeString(disable, "1");
                }
            }
        } catch (IOException e) {
            held.close();
            throw e;
        }
        return held;
    }

    /** The files written, in order. */
    public List<Path> disabled() {
        return List.copyOf(saved.keySet());
    }

    private static List<Path> states(Path cpuidle) {
        List<Path> states = new ArrayList<>();
        for (int k = 0; Files.isDirectory(cpuidle.resolve("state" + k)); k++) states.add(cpuidle.resolve("state" + k));
        return states;
    }

    /** Writes every saved value back; a file that refuses is reported in the exception, the others are still restored. */
    @Override
    public void close() {
        List<String> failed = new ArrayList<>();
        saved.forEach((file, value) -> {
            try {
                Files.writeString(file, value);
            } catch (IOException e) {
                failed.add(file + " (" + e.getMessage() + ")");
            }
        });
        saved.clear();
        if (!failed.isEmpty()) throw new IllegalStateException("could not restore idle states: " + String.join(", ", failed));
    }
}
