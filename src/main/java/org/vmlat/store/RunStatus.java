package org.vmlat.store;

import java.util.Arrays;

/**
 * Where a lab run stands. The stored name is what the store's {@code status} column holds and
 * what reports print; it never changes once written.
 */
public enum RunStatus {
    /** Measuring now, or its vmlat ended without closing the run (killed, disk full): resumable. */
    RUNNING("running"),
    /** Stopped by Ctrl-C or SIGTERM: {@code --resume} measures what is left. */
    INTERRUPTED("interrupted"),
    /** Every scenario ran; some failed. */
    DONE_WITH_FAILURES("done-with-failures"),
    /** Every scenario is done. */
    DONE("done"),
    /** The run could not go on (no real-time privileges, a target that cannot start). */
    FAILED("failed");

    private final String storedName;

    RunStatus(String storedName) {
        this.storedName = storedName;
    }

    public String storedName() {
        return storedName;
    }

    public static RunStatus fromStored(String name) {
        return Arrays.stream(values()).filter(s -> s.storedName.equals(name)).findFirst()
                .orElseThrow(() -> new StoreException("corrupt store: unknown run status \"" + name + "\""));
    }

    @Override
    public String toString() {
        return storedName;
    }
}
