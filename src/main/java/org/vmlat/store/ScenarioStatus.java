package org.vmlat.store;

import java.util.Arrays;

/**
 * Where a scenario of a run stands. The stored name is what the store's {@code status} column
 * holds and what reports print; it never changes once written.
 */
public enum ScenarioStatus {
    /** In the matrix, not started yet. */
    PENDING("pending"),
    /** Being measured now, or its vmlat was killed while measuring (a snapshot may be stored). */
    RUNNING("running"),
    /** Finished: its results are final. */
    DONE("done"),
    /** Interrupted (Ctrl-C, SIGTERM): what it measured so far is kept; a resume measures it again. */
    PARTIAL("partial"),
    /** Ended by a fault of its own (probe error, load died, timeout); the reason says which. */
    FAILED("failed");

    private final String storedName;

    ScenarioStatus(String storedName) {
        this.storedName = storedName;
    }

    public String storedName() {
        return storedName;
    }

    /** Whether a run resuming should measure it again ({@code retryFailed}: also failed ones). */
    public boolean needsMeasuring(boolean retryFailed) {
        return this != DONE && (retryFailed || this != FAILED);
    }

    public static ScenarioStatus fromStored(String name) {
        return Arrays.stream(values()).filter(s -> s.storedName.equals(name)).findFirst()
                .orElseThrow(() -> new StoreException("corrupt store: unknown scenario status \"" + name + "\""));
    }

    @Override
    public String toString() {
        return storedName;
    }
}
