package org.vmlat.targets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the targets of one run share and the run closes at its end, whatever happened: one SSH
 * connection per Dom0 for all xen targets on it (whatever their mode or kernel), and the like.
 * Closed in the reverse order of opening; a failure to close is reported, and the others are
 * still closed. After {@link #close} it is empty and may serve the next run.
 */
public final class RunResources implements AutoCloseable {
    private final Map<Object, AutoCloseable> open = new LinkedHashMap<>();
    private final Consumer<String> warnings;

    /** @param warnings where failures to close are reported */
    public RunResources(Consumer<String> warnings) {
        this.warnings = warnings;
    }

    /** The resource under {@code key}, opened by {@code opener} the first time it is asked for. */
    public synchronized <T extends AutoCloseable> T shared(Object key, Class<T> type, Supplier<T> opener) {
        AutoCloseable r = open.get(key);
        if (r == null) {
            r = opener.get();
            open.put(key, r);
        }
        return type.cast(r);
    }

    @Override
    public synchronized void close() {
        List<Map.Entry<Object, AutoCloseable>> all = new ArrayList<>(open.entrySet());
        open.clear();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                all.get(i).getValue().close();
            } catch (Exception e) {
                warnings.accept("could not close " + all.get(i).getKey() + ": " + e.getMessage());
            }
        }
    }
}
