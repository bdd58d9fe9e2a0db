package org.vmlat.targets.xen;

import java.util.LinkedHashMap;
import java.util.Map;
import org.vmlat.latency.SettingsKeys;

/** Reads {@code xl info}'s "key : value" lines. */
public final class XlInfo {
    private XlInfo() {}

    public static Map<String, String> parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        String lastKey = null;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith(" ")) {
                lastKey = line.substring(0, colon).trim();
                m.put(lastKey, line.substring(colon + 1).trim());
            } else if (lastKey != null && !line.isBlank()) {
                // long values (xen_commandline, cpu topology) wrap onto indented lines
                m.put(lastKey, m.get(lastKey) + " " + line.trim());
            }
        }
        return m;
    }

    /** The facts a result records about the Xen host, keys prefixed "xen.". */
    public static Map<String, String> facts(Map<String, String> info) {
        Map<String, String> f = new LinkedHashMap<>();
        String v = info.get("xen_version");
        if (v != null) f.put(SettingsKeys.XEN_VERSION, v);
        for (String k : new String[] {"xen_scheduler", "nr_cpus", "cpu_mhz", "virt_caps", "xen_commandline", "release", "total_memory"}) {
            String val = info.get(k);
            if (val != null) f.put("xen." + (k.startsWith("xen_") ? k.substring(4) : k.equals("release") ? "dom0_kernel" : k), val);
        }
        return f;
    }
}
