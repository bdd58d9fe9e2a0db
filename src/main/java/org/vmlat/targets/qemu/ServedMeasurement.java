package org.vmlat.targets.qemu;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.load.LoadSpec;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.targets.KernelTrace;
import org.vmlat.targets.Target;
import org.vmlat.targets.image.GuestArgs;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.image.GuestTrace;
import org.vmlat.targets.reservation.ReservationException;

/**
 * A scenario measured on a guest that serves scenarios (boot = "once", QEMU on this machine): the
 * kept guest when it was booted with the same {@link BootKey} and its threads can take this
 * scenario's scheduling, else a fresh boot. What a scenario sets goes on for it alone and comes off
 * after it: the QEMU threads' reservation on the host (its restore record written first, so that
 * a killed vmlat's is undone by the next one) and the kernel tracing in the guest (switched on by
 * the RUN line, off and emptied before the guest reports itself clean). The guest is kept for the
 * next scenario only when this one succeeded, its reservation came off and the guest reported
 * nothing left of the probe, the load or the tracing; otherwise it is shut down here.
 */
final class ServedMeasurement {
    /** The serving guest's line once it waits for scenarios. */
    static final String SERVING = "VMLAT-SERVING";
    /** Between clock round trips: each wakes a shell in the guest, below the probe's priority. */
    private static final long PING_EVERY_MS = 50;

    private final String name;
    private final QemuSettings settings;
    private final QemuHost host;
    private final BootKey key;
    private final QemuCommand command;
    private final GuestWatch watch;
    private final GuestResults results;
    private final GuestSlot slot;
    private final Consumer<String> warnings;

    ServedMeasurement(String name, QemuSettings settings, QemuHost host, BootKey key, QemuCommand command, GuestWatch watch,
                      GuestResults results, GuestSlot slot, Consumer<String> warnings) {
        this.name = name;
        this.settings = settings;
        this.host = host;
        this.key = key;
        this.command = command;
        this.watch = watch;
        this.results = results;
        this.slot = slot;
        this.warnings = warnings;
    }

    /** @param trace whether the guest traces its kernel around the probe and sends the trace back with the result */
    Target.Measured measure(ProbeSpec spec, LoadSpec load, boolean trace, ProbeListener listener, RunControl control) {
        HostScheduling wanted = HostScheduling.of(settings);
        long start = System.currentTimeMillis();
        ServedGuest guest = slot.take(key);
        if (guest != null && !guest.scheduling().canBecome(wanted)) {
            guest.close();
            guest = null;
        }
        boolean reused = guest != null;
        boolean keep = false;
        QemuHost.HostLoad hostLoad = null;
        QemuHost.Reserved reserved = null;
        ClockPinger pinger = null;
        try {
            if (guest == null) guest = boot(control);
            schedule(guest, wanted);
            try {
                reserved = host.reserve(guest.qemu(), guest.dir(), settings.reservation());
            } catch (ReservationException e) {
                throw new ProbeException(name + ": " + e.getMessage(), e);
            }
            int n = guest.nextScenario();
            String started = GuestOutput.STARTED + " id=" + n + ";", done = GuestOutput.DONE + " id=" + n + ";";
            String dir = guest.dir();
            GuestChannel channel = guest.channel();
            if (load.placement().onHost() && !load.isNone()) {
                hostLoad = host.startLoad(new LoadSpec(load.name(), "", QemuTarget.gated(dir + "/console.log", started, host.loadCommand(load)), 1,
                        load.placement()));
            }
            listener.started(start);
            channel.begin();
            channel.send(GuestArgs.serveLine(n, spec, load.placement().inGuest() ? "hackbench" : "", trace ? GuestTrace.BUFFER_KB : 0));
            waitFor(() -> host.contains(dir + "/console.log", started), guest, settings.bootTimeoutNs() / 1_000_000, control, "start", true);
            Map<Integer, String> threads = Map.of();
            if (trace) {
                // numbers of their own per scenario: one the guest read too late last time is never taken for this one's
                pinger = ClockPinger.start(Path.of(dir, QemuCommand.SYNC_SOCKET), PING_EVERY_MS, (long) n * 1_000_000);
                threads = QemuThreads.of(Path.of(dir, "qemu.pid"));
            }
            if (hostLoad != null && hostLoad.failure() != null) throw new ProbeException(hostLoad.failure());
            String failure = null;
            if (hostLoad != null) {
                // as with a guest booted per scenario: after the duration the load has done its work
                if (!waitFor(() -> channel.contains(done), guest, spec.durationNs() / 1_000_000 + Target.LOAD_SETTLE_MS, control, "measurement", false)) {
                    String f = hostLoad.failure();
                    if (f != null) failure = "during the measurement: " + f;
                    hostLoad.close();
                    hostLoad = null;
                }
            }
            long measureMs = spec.durationNs() / 1_000_000 * 3 + 30_000; // emulation is slow: allow 3x plus 30 s
            waitFor(() -> channel.contains(done), guest, measureMs, control, "measurement", true);
            List<KernelTrace.RoundTrip> trips = pinger != null ? pinger.stop() : List.of();
            String text = channel.text();
            String left = GuestOutput.leftover(text);
            Map<String, String> boot = new LinkedHashMap<>();
            boot.put(SettingsKeys.GUEST_BOOT, reused ? "reused" : "fresh");
            boot.put("guest.boot_scenario", Integer.toString(n));
            if (!reused) boot.put("guest.boot_ms", Long.toString(guest.bootMs()));
            boot.put("guest.clean", left == null ? "unknown" : left.isEmpty() ? "yes" : "no: " + left);
            MeasurementResult r = results.parse(dir, text, spec, command.served(key, dir), start, reserved.readBack(), boot);
            if (hostLoad != null && hostLoad.failure() != null) failure = "during the measurement: " + hostLoad.failure();
            keep = failure == null && left != null && left.isEmpty();
            if (!keep && failure == null) {
                warnings.accept(name + ": the guest kept " + (left == null ? "no report of its processes" : left) + " after the scenario: the next one boots afresh");
            }
            Target.Measured measured = new Target.Measured(r, failure);
            if (trace) {
                Optional<KernelTrace> kernel = GuestTrace.parse("guest " + name, text);
                if (kernel.isPresent()) measured = measured.withKernelTrace(kernel.get().withHost(trips, threads));
            }
            return measured;
        } catch (ProbeException e) {
            if (guest == null) throw e;
            // what came back helps tell a guest that never answered from one whose answer was cut
            throw new ProbeException(e.getMessage() + " (scenario " + guest.served() + " of this boot; " + guest.channel().text().length()
                    + " characters came back through the channel)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeException("interrupted");
        } finally {
            if (pinger != null) pinger.close();
            if (hostLoad != null) hostLoad.close();
            // the reservation comes off while QEMU still runs, so that a restore that fails is seen (and its record kept) here
            if (reserved != null) {
                try {
                    reserved.close();
                } catch (ReservationException e) {
                    warnings.accept(name + ": " + e.getMessage() + "; the guest is shut down");
                    keep = false;
                }
            }
            if (guest != null) {
                if (keep) slot.keep(guest);
                else guest.close();
            }
        }
    }

    /** Boots a guest that serves scenarios and waits until it does, within the boot timeout. */
    private ServedGuest boot(RunControl control) throws InterruptedException {
        String dir = host.newDirectory("guest-");
        QemuHost.RunningQemu qemu = null;
        GuestChannel channel = null;
        long start = System.currentTimeMillis();
        try {
            qemu = host.start(name, command.served(key, dir));
            long timeoutMs = settings.bootTimeoutNs() / 1_000_000;
            channel = GuestChannel.connect(Path.of(dir, QemuCommand.CHANNEL), name, timeoutMs, qemu);
            watch.untilIn(dir, List.of("console.log"), SERVING, timeoutMs, qemu, control, "boot", true);
            return new ServedGuest(key, host, qemu, dir, channel, HostScheduling.NONE, System.currentTimeMillis() - start);
        } catch (RuntimeException | InterruptedException e) {
            if (channel != null) channel.close();
            if (qemu != null) qemu.close();
            host.removeDirectory(dir);
            throw e;
        }
    }

    /** The QEMU threads' pinning and priorities for this scenario, when the running guest's differ (they can only be raised from none). */
    private void schedule(ServedGuest guest, HostScheduling wanted) {
        if (guest.scheduling().equals(wanted)) return;
        try {
            host.schedule(guest.qemu(), guest.dir(), settings);
        } catch (ProbeException e) {
            throw new ProbeException(name + ": " + e.getMessage(), e);
        }
        guest.scheduled(wanted);
    }

    private boolean waitFor(java.util.function.BooleanSupplier seen, ServedGuest guest, long timeoutMs, RunControl control, String phase,
                            boolean fail) throws InterruptedException {
        return watch.until(seen, guest.dir(), timeoutMs, guest.qemu(), control, phase, fail);
    }
}
