package org.vmlat.targets.qemu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.os.CpuList;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.targets.image.GuestImage;
import org.vmlat.targets.image.GuestOutput;
import org.vmlat.targets.image.GuestRun;
import org.vmlat.targets.reservation.VcpuReservation;

/**
 * A scenario's result from what a QEMU guest sent, with the settings it ran under (the QEMU
 * command, the threads' scheduling, the reservation as read back), how the guest came to measure
 * it, and the EMULATED marks when QEMU emulates or runs on an emulated machine.
 */
final class GuestResults {
    private final String name;
    private final QemuSettings settings;
    private final QemuHost host;
    private final Supplier<GuestImage> image;
    private final Supplier<String> accel;

    GuestResults(String name, QemuSettings settings, QemuHost host, Supplier<GuestImage> image, Supplier<String> accel) {
        this.name = name;
        this.settings = settings;
        this.host = host;
        this.image = image;
        this.accel = accel;
    }

    /**
     * @param reservationReadBack the reservation as the kernel reported it while in force ("" for none)
     * @param boot                how the guest came to measure it (fresh or reused boot, ...)
     */
    MeasurementResult parse(String dir, String text, ProbeSpec spec, List<String> cmd, long start, String reservationReadBack,
                            Map<String, String> boot) {
        String accelerator = accel.get();
        GuestOutput g = GuestOutput.parse("guest " + name, text, spec.intervalNs(), spec.durationNs());
        Map<String, String> s = new LinkedHashMap<>();
        s.put("qemu.command", String.join(" ", cmd));
        s.put("qemu.accel", accelerator);
        s.put("qemu.vcpus", Integer.toString(settings.vcpus()));
        s.put("qemu.vcpu_priority", Integer.toString(settings.vcpuPriority()));
        s.put("qemu.qemu_priority", Integer.toString(settings.qemuPriority()));
        s.put("qemu.pin", CpuList.format(settings.pin()));
        s.put(SettingsKeys.GUEST_CMDLINE, settings.guestCmdline());
        if (!settings.host().isEmpty()) s.put("qemu.host", settings.host());
        VcpuReservation res = settings.reservation();
        s.put(SettingsKeys.RESERVATION, res.written());
        if (!res.isNone()) {
            s.put(SettingsKeys.RESERVATION_KIND, res.kind().name().toLowerCase(Locale.ROOT));
            s.put(SettingsKeys.RESERVATION_BUDGET_NS, Long.toString(res.budgetNs()));
            s.put(SettingsKeys.RESERVATION_DEADLINE_NS, Long.toString(res.deadlineNs()));
            s.put(SettingsKeys.RESERVATION_PERIOD_NS, Long.toString(res.periodNs()));
            s.put(SettingsKeys.RESERVATION_APPLIED, reservationReadBack);
        }
        s.putAll(boot);
        Map<String, String> facts = new LinkedHashMap<>(host.facts());
        facts.put("guest.accel", accelerator.equals("tcg") ? "tcg (full emulation, not KVM)" : accelerator);
        List<String> warns = new ArrayList<>();
        if (accelerator.equals("tcg")) warns.add("EMULATED: QEMU full emulation (TCG): these figures measure emulation, not KVM");
        if (!host.emulated().isEmpty()) {
            // the guest's own accelerator may be KVM: its host is what is emulated
            s.put(SettingsKeys.EMULATED, host.emulated());
            warns.add("EMULATED: QEMU's host " + host.where() + " runs under " + host.emulated() + ": these figures measure emulation, not hardware");
        }
        return new GuestRun(name, spec, image.get().kernelPackage(), s, facts, warns)
                .result(g, host.tail(dir + "/console.log", GuestRun.CONSOLE_CHARS), start, System.currentTimeMillis());
    }
}
