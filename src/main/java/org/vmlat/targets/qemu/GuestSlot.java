package org.vmlat.targets.qemu;

/**
 * The one guest kept running between scenarios on this machine, whichever QEMU target of the run
 * booted it: the next scenario takes it when it has the same {@link BootKey}, and any other
 * scenario shuts it down first, so no idle guest runs beside a measurement. Shared by a run's
 * targets through its resources, closed with them at the end of the run.
 */
final class GuestSlot implements AutoCloseable {
    private ServedGuest kept;

    /** The kept guest when it was booted with {@code key} (the slot is then empty); else null, any other guest shut down. */
    synchronized ServedGuest take(BootKey key) {
        ServedGuest g = kept;
        kept = null;
        if (g == null || g.key().equals(key)) return g;
        g.close();
        return null;
    }

    /** Keeps a guest that served a scenario cleanly for the next one; one kept already is shut down. */
    synchronized void keep(ServedGuest guest) {
        if (kept != null && kept != guest) kept.close();
        kept = guest;
    }

    @Override
    public synchronized void close() {
        if (kept != null) {
            ServedGuest g = kept;
            kept = null;
            g.close();
        }
    }
}
