package org.vmlat.sched.server;

import java.util.List;

/**
 * Whether a host can grant a set of reservations: every VM could be served at all, and their
 * bandwidths together stay within the real-time share of the host's CPUs ({@code rtLimit} per
 * CPU, Linux's sched_rt_runtime_us / sched_rt_period_us; SCHED_DEADLINE admits on the same sum).
 *
 * @param unserved the VMs no reservation can serve at their period, with the reason
 */
public record HostAdmission(List<Reservation> reservations, List<Unserved> unserved, int cpus, double rtLimit) {
    /** A VM that no reservation serves ({@code vm} is "" for a task set without VMs), and why. */
    public record Unserved(String vm, String reason) {}

    /** Sums of doubles from separate divisions may exceed an exact limit by rounding alone. */
    private static final double ROUNDING = 1e-12;

    public HostAdmission {
        if (cpus < 1) throw new IllegalArgumentException("cpus must be >= 1, got " + cpus);
        if (!(rtLimit > 0 && rtLimit <= 1)) throw new IllegalArgumentException("rtLimit must be within (0, 1], got " + rtLimit);
        reservations = List.copyOf(reservations);
        unserved = List.copyOf(unserved);
    }

    public double totalBandwidth() {
        return reservations.stream().mapToDouble(Reservation::bandwidth).sum();
    }

    /** The bandwidth the host grants in all: rtLimit on each CPU. */
    public double limit() {
        return rtLimit * cpus;
    }

    public boolean admitted() {
        return unserved.isEmpty() && totalBandwidth() <= limit() + ROUNDING;
    }
}
