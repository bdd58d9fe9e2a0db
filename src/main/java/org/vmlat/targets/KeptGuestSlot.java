package org.vmlat.targets;

/**
 * The one guest kept running between scenarios, whichever target of the run booted it: the next scenario takes it
 * when it was booted with the same key (its boot-time settings), and any other scenario ends it first, so no idle
 * guest runs beside a measurement. Closed with what shares it (the run's resources, a Dom0 connection).
 *
 * @param <K> what a guest was booted with: guests with equal keys serve the same scenarios
 * @param <G> the kept guest; closing it ends it
 */
public class KeptGuestSlot<K, G extends KeptGuestSlot.Guest<K>> implements AutoCloseable {
    /** A guest that can be kept: the key it was booted with; closing it ends it. */
    public interface Guest<K> extends AutoCloseable {
        K key();

        @Override
        void close();
    }

    private G kept;

    /** The kept guest when it was booted with {@code key} (the slot is then empty); else null, any other guest ended. */
    public synchronized G take(K key) {
        G g = kept;
        kept = null;
        if (g == null || g.key().equals(key)) return g;
        g.close();
        return null;
    }

    /** Keeps a guest that served a scenario cleanly for the next one; one kept already is ended. */
    public synchronized void keep(G guest) {
        if (kept != null && kept != guest) kept.close();
        kept = guest;
    }

    @Override
    public synchronized void close() {
        if (kept != null) {
            G g = kept;
            kept = null;
            g.close();
        }
    }
}
