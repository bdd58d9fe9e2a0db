package org.vmlat.targets.qemu;

import java.util.List;

/**
 * What a guest is booted with and cannot change while it runs: the scenarios whose keys are equal
 * can share one boot. Loads, intervals, priorities and the QEMU threads' host scheduling are not
 * part of it: they are set per scenario on the running guest.
 *
 * @param where     QEMU's host ("this machine", "root@kvm:2222")
 * @param kernel    the kernel file there
 * @param initrd    the initramfs file there
 * @param cmdline   the guest kernel's command line
 * @param accel     kvm or tcg
 * @param extraArgs the plan's qemu_args
 */
record BootKey(String where, String kernel, String initrd, String cmdline, int vcpus, int memoryMb, String accel, List<String> extraArgs) {
    BootKey {
        extraArgs = List.copyOf(extraArgs);
    }
}
