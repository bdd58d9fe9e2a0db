package org.vmlat.os;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads {@link SystemFacts} below a root directory: "/" on a live system, a fixture tree in tests
 * (the same relative paths: proc/..., sys/..., boot/..., dev/kvm).
 */
public final class SystemFactsReader {
    private static final Pattern CONFIG_LINE = Pattern.compile("^(CONFIG_[A-Z0-9_]+)=(.*)$", Pattern.MULTILINE);
    private final Path root;

    public SystemFactsReader(Path root) {
        this.root = root;
    }

    public static SystemFacts live() {
        return new SystemFactsReader(Path.of("/")).read();
    }

    public SystemFacts read() {
        String release = text("proc/sys/kernel/osrelease").orElse("unknown");
        String version = text("proc/sys/kernel/version").orElse("");
        Map<String, String> config = kernelConfig(release);
        boolean rtFlag = text("sys/kernel/realtime").map("1"::equals).orElse(false);
        String cmdline = text("proc/cmdline").orElse("");
        String cpuinfo = text("proc/cpuinfo").orElse("");
        List<String> flags = cpuFlags(cpuinfo);

        List<String> evidence = new ArrayList<>();
        String virt = virtualization(flags, evidence);
        Optional<String> kvmModule = Optional.empty();
        if (Files.isDirectory(root.resolve("sys/module/kvm_pvm"))) kvmModule = Optional.of("kvm_pvm");
        else if (Files.isDirectory(root.resolve("sys/module/kvm_intel"))) kvmModule = Optional.of("kvm_intel");
        else if (Files.isDirectory(root.resolve("sys/module/kvm_amd"))) kvmModule = Optional.of("kvm_amd");

        Map<Integer, String> governors = new TreeMap<>();
        List<Integer> online = list("sys/devices/system/cpu/online");
        for (int cpu : online) {
            text("sys/devices/system/cpu/cpu" + cpu + "/cpufreq/scaling_governor").ifPresent(g -> governors.put(cpu, g));
        }
        List<String> idle = new ArrayList<>();
        Path states = root.resolve("sys/devices/system/cpu/cpu" + (online.isEmpty() ? 0 : online.get(0)) + "/cpuidle");
        if (Files.isDirectory(states)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(states, "state*")) {
                List<Path> sorted = new ArrayList<>();
                ds.forEach(sorted::add);
                sorted.sort(null);
                for (Path s : sorted) {
                    String name = readOpt(s.resolve("name")).orElse(s.getFileName().toString());
                    String lat = readOpt(s.resolve("latency")).orElse("?");
                    String disabled = readOpt(s.resolve("disable")).orElse("0");
                    idle.add(name + "(" + lat + "us" + ("1".equals(disabled) ? ",disabled" : "") + ")");
                }
            } catch (IOException e) {
                // unreadable idle states are reported as none
            }
        }
        return new SystemFacts(
                release, version, preemption(rtFlag, version, config, text("sys/kernel/debug/sched/preempt")),
                rtFlag,
                Optional.ofNullable(config.get("CONFIG_HZ")).map(Integer::valueOf),
                noHz(config),
                cmdline,
                text("sys/devices/system/clocksource/clocksource0/current_clocksource").orElse("unknown"),
                words(text("sys/devices/system/clocksource/clocksource0/available_clocksource").orElse("")),
                text("proc/sys/kernel/sched_rt_runtime_us").map(Long::valueOf),
                text("proc/sys/kernel/sched_rt_period_us").map(Long::valueOf),
                online,
                list("sys/devices/system/cpu/isolated"),
                list("sys/devices/system/cpu/nohz_full"),
                governors,
                text("sys/devices/system/cpu/cpuidle/current_driver"),
                idle,
                cpuModel(cpuinfo),
                virt, evidence,
                Files.exists(root.resolve("dev/kvm")),
                flags.contains("vmx") || flags.contains("svm"),
                kvmModule);
    }

    static String preemption(boolean rtFlag, String version, Map<String, String> config, Optional<String> dynamic) {
        if (rtFlag || version.contains("PREEMPT_RT") || "y".equals(config.get("CONFIG_PREEMPT_RT"))) return "PREEMPT_RT";
        if (dynamic.isPresent()) {
            Matcher m = Pattern.compile("\\((\\w+)\\)").matcher(dynamic.get());
            if (m.find()) return "PREEMPT_DYNAMIC(" + m.group(1) + ")";
        }
        if (version.contains("PREEMPT_DYNAMIC")) return "PREEMPT_DYNAMIC";
        if ("y".equals(config.get("CONFIG_PREEMPT"))) return "PREEMPT";
        if (version.contains("PREEMPT")) return "PREEMPT";
        if ("y".equals(config.get("CONFIG_PREEMPT_VOLUNTARY"))) return "VOLUNTARY";
        if ("y".equals(config.get("CONFIG_PREEMPT_NONE"))) return "NONE";
        return "unknown";
    }

    private static Optional<String> noHz(Map<String, String> config) {
        if ("y".equals(config.get("CONFIG_NO_HZ_FULL"))) return Optional.of("full");
        if ("y".equals(config.get("CONFIG_NO_HZ_IDLE"))) return Optional.of("idle");
        if ("y".equals(config.get("CONFIG_HZ_PERIODIC"))) return Optional.of("periodic");
        return Optional.empty();
    }

    private String virtualization(List<String> flags, List<String> evidence) {
        String vendor = text("sys/class/dmi/id/sys_vendor").orElse("");
        String product = text("sys/class/dmi/id/product_name").orElse("");
        Optional<String> hv = text("sys/hypervisor/type");
        if (hv.isPresent()) {
            evidence.add("/sys/hypervisor/type=" + hv.get());
            text("sys/hypervisor/guest_type").ifPresent(g -> evidence.add("guest_type=" + g));
            return hv.get();
        }
        if (!vendor.isEmpty() || !product.isEmpty()) evidence.add("DMI: " + (vendor + " " + product).strip());
        String dmi = (vendor + " " + product).toLowerCase(Locale.ROOT);
        boolean flag = flags.contains("hypervisor");
        if (flag) evidence.add("cpu flag: hypervisor");
        if (dmi.contains("qemu") || dmi.contains("kvm")) return "kvm";
        if (dmi.contains("vmware")) return "vmware";
        if (dmi.contains("microsoft")) return "hyperv";
        if (dmi.contains("xen")) return "xen";
        if (dmi.contains("virtualbox") || dmi.contains("innotek")) return "virtualbox";
        if (dmi.contains("amazon ec2")) return "kvm";
        if (flag) return "hypervisor (unidentified)";
        return "none";
    }

    private static List<String> cpuFlags(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")) {
                int colon = line.indexOf(':');
                return words(line.substring(colon + 1));
            }
        }
        return List.of();
    }

    private static String cpuModel(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
        }
        return "unknown";
    }

    private Map<String, String> kernelConfig(String release) {
        Map<String, String> config = new LinkedHashMap<>();
        String text = null;
        Path gz = root.resolve("proc/config.gz");
        if (Files.isReadable(gz)) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                text = null;
            }
        }
        if (text == null) text = text("boot/config-" + release).orElse("");
        Matcher m = CONFIG_LINE.matcher(text);
        while (m.find()) config.put(m.group(1), m.group(2).replace("\"", ""));
        return config;
    }

    private List<Integer> list(String rel) {
        try {
            return text(rel).map(CpuList::parse).orElse(List.of());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    private static List<String> words(String s) {
        String t = s.strip();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }

    private Optional<String> text(String rel) {
        return readOpt(root.resolve(rel));
    }

    /**
     * Reads a whole file with one large first read: many /proc/sys files (proc_dointvec) answer a
     * read at a non-zero offset with EOF, and Files.readString on a file whose size is reported as
     * 0 starts with a one-byte read, which would cut "950000" down to "9".
     */
    private static Optional<String> readOpt(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
