package org.vmlat.targets.xen;

/**
 * The one Xen guest kept running in a Dom0 between scenarios, whichever xen target of the run booted it: the next
 * scenario takes it when it has the same {@link ServedDomU.Key}, and any other scenario destroys it first, so no idle
 * guest runs beside a measurement. One per Dom0, destroyed with the run's connection to it.
 */
final class DomUSlot implements AutoCloseable {
    private ServedDomU kept;

    /** The kept guest when it was booted with {@code key} (the slot is then empty); else null, any other guest destroyed. */
    synchronized ServedDomU take(ServedDomU.Key key) {
        ServedDomU g = kept;
        kept = null;
        if (g == null || g.key().equals(key)) return g;
        g.close();
        return null;
    }

    /** Keeps a guest that served a scenario cleanly for the next one; one kept already is destroyed. */
    synchronized void keep(ServedDomU guest) {
        if (kept != null && kept != guest) kept.close();
        kept = guest;
    }

    @Override
    public synchronized void close() {
        if (kept != null) {
            ServedDomU g = kept;
            kept = null;
            g.close();
        }
    }
}
