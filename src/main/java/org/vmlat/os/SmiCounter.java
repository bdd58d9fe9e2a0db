package org.vmlat.os;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The count of system management interrupts a CPU took, from Intel's MSR_SMI_COUNT (0x34) through
 * {@code /dev/cpu/N/msr}, as cyclictest's {@code --smi} reads it. Only Intel CPUs of family 6 have
 * the register; a virtual CPU never shows it (SMIs are taken by the host's firmware, out of the
 * guest's sight).
 */
public final class SmiCounter {
    private static final long MSR_SMI_COUNT = 0x34;

    private SmiCounter() {}

    /** Why this machine has no SMI counter to read, from its /proc/cpuinfo text; empty when it has one. */
    public static Optional<String> unavailable(String cpuinfo) {
        String vendor = field(cpuinfo, "vendor_id");
        String flags = " " + field(cpuinfo, "flags") + " ";
        if (flags.contains(" hypervisor ")) {
            return Optional.of("this CPU is a VM's virtual CPU (" + vendor + "): the hypervisor shows no SMI counter; "
                    + "SMIs are taken by the host and count there");
        }
        if (!vendor.equals("GenuineIntel") || !field(cpuinfo, "cpu family").equals("6")) {
            return Optional.of("this CPU (" + vendor + ", family " + field(cpuinfo, "cpu family")
                    + ") has no SMI counter: MSR_SMI_COUNT is Intel's, family 6");
        }
        if (!flags.contains(" msr ")) return Optional.of("this CPU has no model-specific registers (no msr flag)");
        return Optional.empty();
    }

    /** The same for the live machine, including the msr device (modprobe msr). */
    public static Optional<String> unavailable() {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return Optional.of("cannot read /proc/cpuinfo: " + e.getMessage());
        }
        Optional<String> why = unavailable(cpuinfo);
        if (why.isPresent()) return why;
        if (!Files.isReadable(Path.of("/dev/cpu/0/msr"))) {
            return Optional.of("/dev/cpu/0/msr is missing or unreadable: load the msr module (modprobe msr) and run as root");
        }
        return Optional.empty();
    }

    /** The CPU's SMI count so far. */
    public static long read(int cpu) throws IOException {
        try (RandomAccessFile msr = new RandomAccessFile("/dev/cpu/" + cpu + "/msr", "r")) {
            msr.seek(MSR_SMI_COUNT);
            long v = Long.reverseBytes(msr.readLong()); // the register comes little-endian
            return v & 0xffff_ffffL;
        }
    }

    private static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(name)) return line.substring(colon + 1).strip();
            if (line.isBlank()) break; // the first CPU's block says it for all
        }
        return "";
    }
}
