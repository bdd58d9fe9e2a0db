package org.vmlat.latency;

/**
 * Names of the settings and facts a measurement records (the maps of {@link MeasurementResult}
 * and of a stored scenario) that more than one room reads: the targets and probes write them, the
 * lab stores them, the reports read them. A key only its writer knows stays a literal there.
 */
public final class SettingsKeys {
    /** The measuring engine: builtin or cyclictest. */
    public static final String ENGINE = "engine";
    /** The probe's command line as run. */
    public static final String COMMAND = "command";
    public static final String INTERVAL_NS = "interval_ns";
    /** cyclictest's version line, when it ran. */
    public static final String CYCLICTEST_VERSION = "cyclictest_version";
    /** The load's command line as the target ran it (the lab adds it to every scenario). */
    public static final String LOAD_COMMAND = "load.command";
    /** The CPUs the load's host side was pinned to, as the plan listed them (absent: not pinned). */
    public static final String LOAD_CPUS = "load.cpus";
    /** How the target was emulated (absent or blank on hardware): reports mark such figures. */
    public static final String EMULATED = "emulated";
    /** QEMU's accelerator: kvm or tcg (full emulation, which reports mark). */
    public static final String QEMU_ACCEL = "qemu.accel";
    /** The tail of a guest's console: kept with the scenario, too long for tables. */
    public static final String GUEST_CONSOLE = "guest.console";
    /** How a guest came to measure the scenario: "fresh" (booted for it) or "reused" (kept from the scenario before). */
    public static final String GUEST_BOOT = "guest.boot";
    /** The kernel parameters the plan's guest_cmdline added to a guest's command line ("" = none). */
    public static final String GUEST_CMDLINE = "guest.cmdline";
    /** Facts of the Xen host under a xen target. */
    public static final String XEN_VERSION = "xen.version";
    public static final String XEN_SCHEDULER = "xen.scheduler";
    public static final String XEN_DOM0 = "xen.dom0";
    public static final String XEN_DOM0_KERNEL = "xen.dom0_kernel";
    /** The explained spikes (vmlat-explain/1 JSON), when the measurement was traced: kept with the scenario, read by
     *  {@code vmlat explain}. */
    public static final String EXPLAIN = "explain";
    /** The latency from which spikes were explained and traced (ns). */
    public static final String TRACE_THRESHOLD_NS = "explain.threshold_ns";
    /** A guest's explained spikes' host side and the clock alignment (vmlat-explain-host/1 JSON). */
    public static final String EXPLAIN_HOST = "explain.host";

    /** The CPU reservation on a guest's vCPU threads as the plan wrote it ("none", "deadline:2ms/10ms", ...). */
    public static final String RESERVATION = "reservation";
    /** The reservation as the kernel reported it while the scenario ran (absent for none). */
    public static final String RESERVATION_APPLIED = "reservation.applied";
    /** Θ, the deadline and Π of the reservation in ns (absent for none): the report's prediction reads them. */
    public static final String RESERVATION_BUDGET_NS = "reservation.budget_ns";
    public static final String RESERVATION_DEADLINE_NS = "reservation.deadline_ns";
    public static final String RESERVATION_PERIOD_NS = "reservation.period_ns";
    /** deadline or cfs. */
    public static final String RESERVATION_KIND = "reservation.kind";

    private SettingsKeys() {}
}
