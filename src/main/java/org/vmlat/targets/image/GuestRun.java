package org.vmlat.targets.image;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.probe.ProbeSpec;

/**
 * A measurement in a guest booted from a guest image, as a kind of guest (QEMU, Xen) describes it;
 * {@link #result} makes vmlat's result of it, the same way for every kind: what the guest
 * reported, the cyclictest command it ran, and what the kind adds.
 *
 * @param target        the target's name
 * @param spec          what was measured
 * @param kernelPackage the guest image's kernel package
 * @param kindSettings  the kind's settings, named with its prefix ("qemu.accel", "xen.mode"), in order
 * @param kindFacts     facts the kind knows about the guest and its host ("guest.accel", "xen.version");
 *                      they win over the guest's own facts of the same name
 * @param kindWarnings  the kind's warnings (emulation, a guest of another type than asked)
 */
public record GuestRun(String target, ProbeSpec spec, String kernelPackage, Map<String, String> kindSettings,
                       Map<String, String> kindFacts, List<String> kindWarnings) {
    /** How much of the guest's console the result keeps: its end, where a failure shows. */
    public static final int CONSOLE_CHARS = 4096;

    public GuestRun {
        kindSettings = Collections.unmodifiableMap(new LinkedHashMap<>(kindSettings));
        kindFacts = Collections.unmodifiableMap(new LinkedHashMap<>(kindFacts));
        kindWarnings = List.copyOf(kindWarnings);
    }

    /**
     * @param output  what the guest's /init reported
     * @param console the guest's console (boot messages), of which the end is kept
     */
    public MeasurementResult result(GuestOutput output, String console, long startEpochMs, long endEpochMs) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("engine", "cyclictest");
        settings.put("command", GuestArgs.commandLine(spec));
        settings.putAll(kindSettings);
        settings.put("guest.kernel_package", kernelPackage);
        settings.put("interval_ns", Long.toString(spec.intervalNs()));
        settings.put("policy", spec.policy().cliName());
        settings.put("priority", Integer.toString(spec.priority()));
        settings.put("overruns", "estimated: duration / interval - activations");
        if (output.cyclictestVersion() != null) settings.put("cyclictest_version", output.cyclictestVersion());
        String c = console.replace("\r", "");
        settings.put("guest.console", c.length() > CONSOLE_CHARS ? c.substring(c.length() - CONSOLE_CHARS) : c);
        Map<String, String> facts = new LinkedHashMap<>(output.facts());
        facts.putAll(kindFacts);
        List<String> warnings = new ArrayList<>(kindWarnings);
        if (output.exitCode() != 0) warnings.add("cyclictest exited with status " + output.exitCode() + " in the guest");
        String starved = output.overrunWarning(spec.durationNs());
        if (starved != null) warnings.add(starved);
        return new MeasurementResult("cyclictest@" + target, settings, facts, spec.policy().realtime(), output.threads(),
                startEpochMs, endEpochMs, -1, StopReason.COMPLETED, Optional.empty(), warnings);
    }
}
