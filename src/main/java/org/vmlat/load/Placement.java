package org.vmlat.load;

import java.util.Locale;

/**
 * Where a load runs relative to the probe: on the host (this machine, or a guest's hypervisor
 * side: the QEMU host or the Xen Dom0), inside the guest being measured, or on both. Plans write
 * the lower-case name.
 */
public enum Placement {
    HOST, GUEST, BOTH;

    /** The name plans use: host, guest or both. */
    public String planName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Runs a part on the host side (host or both). */
    public boolean onHost() {
        return this != GUEST;
    }

    /** Runs a part inside the guest (guest or both). */
    public boolean inGuest() {
        return this != HOST;
    }

    /** The placement a plan names; throws with the accepted names otherwise. */
    public static Placement fromPlan(String name) {
        for (Placement p : values()) if (p.planName().equals(name)) return p;
        throw new IllegalArgumentException("expected host, guest or both, got \"" + name + "\"");
    }
}
