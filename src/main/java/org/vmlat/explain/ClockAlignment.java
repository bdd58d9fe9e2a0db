package org.vmlat.explain;

import java.util.List;

/**
 * How a guest's trace clock maps onto this machine's CLOCK_MONOTONIC, from round trips over a serial channel (as
 * NTP does): the host notes when it sent a number ({@code hostSendNs}) and when the guest's echo came back
 * ({@code hostRecvNs}); the guest wrote the number into its trace (trace_marker) on receipt, on its trace clock
 * ({@code guestNs}). The guest's moment lies between send and receive, so {@code offset = guestNs - (send + recv) / 2}
 * is off by at most half the round trip. The round trip with the shortest time gives the offset and that bound.
 *
 * @param offsetNs  guest time minus host time
 * @param errorNs   the bound on the offset's error: half the shortest round trip
 * @param samples   the round trips matched with a marker in the guest's trace
 * @param spreadNs  the largest difference between another round trip's offset and {@code offsetNs}, beyond that
 *                  round trip's own bound: a clock running at another rate or a wrong match shows here
 */
public record ClockAlignment(long offsetNs, long errorNs, int samples, long spreadNs) {
    /** One round trip. */
    public record Sample(long hostSendNs, long hostRecvNs, long guestNs) {
        public Sample {
            if (hostRecvNs < hostSendNs) throw new IllegalArgumentException("hostRecvNs must be >= hostSendNs, got " + hostRecvNs + " < " + hostSendNs);
        }

        long offsetNs() {
            return guestNs - (hostSendNs + (hostRecvNs - hostSendNs) / 2);
        }

        long halfRoundTripNs() {
            return (hostRecvNs - hostSendNs + 1) / 2;
        }
    }

    public ClockAlignment {
        if (errorNs < 0) throw new IllegalArgumentException("errorNs must be >= 0, got " + errorNs);
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
    }

    /** @throws ExplainException when there is no round trip */
    public static ClockAlignment of(List<Sample> samples) {
        if (samples.isEmpty()) throw new ExplainException("no clock round trip reached the guest's trace");
        Sample best = samples.get(0);
        for (Sample s : samples) if (s.halfRoundTripNs() < best.halfRoundTripNs()) best = s;
        long spread = 0;
        for (Sample s : samples) spread = Math.max(spread, Math.abs(s.offsetNs() - best.offsetNs()) - s.halfRoundTripNs() - best.halfRoundTripNs());
        return new ClockAlignment(best.offsetNs(), best.halfRoundTripNs(), samples.size(), Math.max(0, spread));
    }

    /** A guest time on this machine's clock. */
    public long toHostNs(long guestNs) {
        return guestNs - offsetNs;
    }

    /** A time of this machine's clock on the guest's. */
    public long toGuestNs(long hostNs) {
        return hostNs + offsetNs;
    }
}
