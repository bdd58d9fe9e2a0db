package org.vmlat.probe.builtin;

/**
 * The loop's synthetic JIT warm-up, started ahead by a command about to measure: it runs on a
 * thread of its own while picocli reads the command line and the machine is set up (on another
 * CPU where there is one), so the measuring threads' own warm-up finds the loop compiled and the
 * JIT has less left to finish before the start. The probe waits for it ({@link #await}) before it
 * waits for the JIT, so nothing of it runs, or allocates, while measuring. This class loads
 * nothing else: the probe's own classes load on the warm-up's thread, not on the caller's.
 */
public final class AheadWarmUp {
    private static Thread thread;

    private AheadWarmUp() {}

    /** Starts the warm-up (once per process). */
    public static synchronized void start() {
        if (thread != null) return;
        thread = new Thread(() -> BuiltinProbe.warmUpSynthetic(1_000_000L, 1), "vmlat-jit-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until the warm-up started by {@link #start} has ended; returns at once if none was started. */
    static void await() {
        Thread t;
        synchronized (AheadWarmUp.class) {
            t = thread;
        }
        if (t == null) return;
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
