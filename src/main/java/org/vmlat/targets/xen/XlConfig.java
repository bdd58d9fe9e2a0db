package org.vmlat.targets.xen;

import java.util.ArrayList;
import java.util.List;

/**
 * The xl domain configuration vmlat writes for one guest: its kernel and initramfs, no disk, no
 * network, and every way out ends in destruction (else xl restarts a guest that powered off or
 * crashed, and a measurement never ends). PVH and HVM guests get {@code tsc_mode = "native"}: an
 * RT guest wants RDTSC untrapped, and under emulated SVM an RDTSCP exit crashes them otherwise.
 */
public final class XlConfig {
    private XlConfig() {}

    /**
     * @param kernel     path in Dom0 of the guest kernel (bzImage for HVM, which the device model boots)
     * @param cmdline    the guest kernel's command line after the console setting
     * @param pool       cpupool name, or "" for the default
     */
    public static String render(String name, XenSettings s, String kernel, String ramdisk, String cmdline, String pool) {
        List<String> l = new ArrayList<>();
        l.add(kv("name", name));
        l.add(kv("type", s.mode()));
        l.add(kv("kernel", kernel));
        l.add(kv("ramdisk", ramdisk));
        l.add(kv("extra", (s.mode().equals("hvm") ? "console=ttyS0" : "console=hvc0") + " " + cmdline));
        l.add("memory = " + s.memoryMb());
        l.add("vcpus = " + s.vcpus());
        if (!s.pin().isEmpty()) {
            List<String> cpus = new ArrayList<>();
            for (int i = 0; i < s.vcpus(); i++) cpus.add(quote(Integer.toString(s.pin().get(i % s.pin().size()))));
            l.add("cpus = " + (cpus.size() == 1 ? cpus.get(0) : "[" + String.join(", ", cpus) + "]"));
        }
        if (!pool.isEmpty()) l.add(kv("pool", pool));
        if (!s.mode().equals("pv")) l.add(kv("tsc_mode", "native"));
        if (!s.cpuid().isEmpty()) l.add(kv("cpuid", s.cpuid()));
        if (s.mode().equals("hvm")) {
            // the console is the emulated serial port, read with xl console -t serial; no display at all
            l.add(kv("serial", "pty"));
            l.add(kv("vga", "none"));
            l.add("vnc = 0");
            l.add("sdl = 0");
        }
        l.add(kv("on_poweroff", "destroy"));
        l.add(kv("on_reboot", "destroy"));
        l.add(kv("on_crash", "destroy"));
        for (String extra : s.xlExtra()) {
            if (extra.contains("\n")) throw new IllegalArgumentException("xl_extra line contains a newline: " + extra);
            l.add(extra);
        }
        return String.join("\n", l) + "\n";
    }

    private static String kv(String key, String value) {
        return key + " = " + quote(value);
    }

    /** xl's strings are double-quoted with no escapes that every version reads alike: refuse what would need one. */
    static String quote(String value) {
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\' || c == '\n' || c == '\r') throw new IllegalArgumentException("cannot put " + value + " in an xl configuration (quote, backslash or newline)");
        }
        return "\"" + value + "\"";
    }
}
