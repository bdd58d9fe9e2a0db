package org.vmlat.targets.qemu;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.RunControl;
import org.vmlat.targets.image.GuestOutput;

/**
 * Waits for a guest's phases (boot, start, measurement) to show in what it wrote: gives up when
 * the run asks to stop, QEMU exits or the phase's time is over, each with the console's end in
 * the message, so that a guest that hangs is told from one that died.
 */
final class GuestWatch {
    private final String name;
    private final QemuHost host;
    private final Supplier<String> accel;

    /** @param accel the accelerator, once decided (named in the timeout's message) */
    GuestWatch(String name, QemuHost host, Supplier<String> accel) {
        this.name = name;
        this.host = host;
        this.accel = accel;
    }

    /** Waits until one of the files in {@code dir} holds the marker: true then; false at the timeout unless {@code fail} (then it throws). */
    boolean untilIn(String dir, List<String> files, String marker, long timeoutMs, QemuHost.RunningQemu qemu, RunControl control,
                    String phase, boolean fail) throws InterruptedException {
        return until(() -> containsAny(dir, files, marker), dir, timeoutMs, qemu, control, phase, fail);
    }

    /** Waits until {@code seen}: true then; false at the timeout unless {@code fail} (then it throws). */
    boolean until(BooleanSupplier seen, String dir, long timeoutMs, QemuHost.RunningQemu qemu, RunControl control, String phase, boolean fail)
            throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (true) {
            if (seen.getAsBoolean()) return true;
            if (control.stopRequested()) throw new ProbeException("stopped during the " + phase + consoleTail(dir));
            if (!qemu.alive()) {
                // the guest may have written the marker and powered off between the two checks
                if (seen.getAsBoolean()) return true;
                throw new ProbeException("QEMU exited during the " + phase + ": " + qemu.failure() + consoleTail(dir));
            }
            if (System.currentTimeMillis() > end) {
                if (!fail) return false;
                throw new ProbeException("guest " + name + " " + (phase.equals("boot") ? "did not boot" : "did not finish") + " within "
                        + timeoutMs / 1000 + " s (" + accel.get() + (host instanceof LocalQemuHost ? "" : " on " + host.where()) + "); killed"
                        + consoleTail(dir));
            }
            Thread.sleep(host.pollMs());
        }
    }

    private boolean containsAny(String dir, List<String> files, String marker) {
        for (String f : files) if (host.contains(dir + "/" + f, marker)) return true;
        return false;
    }

    /** The end of the guest's console, for a message: "; console: ...". */
    String consoleTail(String dir) {
        return GuestOutput.consoleTail(host.tail(dir + "/console.log", 1500), 1500);
    }
}
