package org.vmlat.targets.qemu;

import org.vmlat.targets.KeptGuestSlot;

/**
 * A guest booted to serve scenarios (its /init runs with vmlat.serve): its QEMU, its directory on
 * QEMU's host (console, sockets), the channel scenarios go through, and how its threads are
 * scheduled now. Closing it closes the channel (the guest powers off) and kills QEMU.
 */
final class ServedGuest implements KeptGuestSlot.Guest<BootKey> {
    private final BootKey key;
    private final QemuHost host;
    private final QemuHost.RunningQemu qemu;
    private final String dir;
    private final GuestChannel channel;
    private final long bootMs;
    private HostScheduling scheduling;
    private int served;

    ServedGuest(BootKey key, QemuHost host, QemuHost.RunningQemu qemu, String dir, GuestChannel channel, HostScheduling scheduling, long bootMs) {
        this.key = key;
        this.host = host;
        this.qemu = qemu;
        this.dir = dir;
        this.channel = channel;
        this.scheduling = scheduling;
        this.bootMs = bootMs;
    }

    @Override
    public BootKey key() {
        return key;
    }

    QemuHost.RunningQemu qemu() {
        return qemu;
    }

    String dir() {
        return dir;
    }

    GuestChannel channel() {
        return channel;
    }

    /** From QEMU's start to the guest's first "serving" line. */
    long bootMs() {
        return bootMs;
    }

    HostScheduling scheduling() {
        return scheduling;
    }

    void scheduled(HostScheduling now) {
        scheduling = now;
    }

    /** The next scenario's number in this boot (1, 2, ...): the markers of its start and end carry it. */
    int nextScenario() {
        return ++served;
    }

    /** Scenarios this boot served or is serving. */
    int served() {
        return served;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } finally {
            try {
                qemu.close();
            } finally {
                host.removeDirectory(dir);
            }
        }
    }
}
