package org.vmlat.os.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vmlat.os.CpuList;
import org.vmlat.os.SystemFacts;
import org.vmlat.os.check.Finding.Level;

/**
 * Judges whether a system is set up for real-time latency measurement. A pure function of the
 * facts read and the capabilities tried, so every judgement is testable on fixture trees.
 */
public final class SetupChecks {
    private SetupChecks() {}

    public static List<Finding> evaluate(SystemFacts f, Capabilities c) {
        List<Finding> out = new ArrayList<>();
        String pre = f.preemption();
        if (pre.equals("PREEMPT_RT")) {
            out.add(new Finding(Level.OK, "preemption", "PREEMPT_RT kernel (" + f.kernelRelease() + ", /sys/kernel/realtime="
                    + (f.realtimeFlag() ? "1" : "absent") + ")", ""));
        } else if (pre.startsWith("PREEMPT_DYNAMIC(full)") || pre.equals("PREEMPT")) {
            out.add(new Finding(Level.WARN, "preemption", pre + " kernel " + f.kernelRelease() + ": fully preemptible but not PREEMPT_RT",
                    "for lowest latencies boot a PREEMPT_RT kernel (Debian: linux-image-rt-amd64)"));
        } else {
            out.add(new Finding(Level.WARN, "preemption", pre + " kernel " + f.kernelRelease() + ": long non-preemptible sections possible",
                    pre.startsWith("PREEMPT_DYNAMIC") ? "boot with preempt=full, or a PREEMPT_RT kernel (linux-image-rt-amd64)"
                            : "install a PREEMPT_RT kernel (Debian: linux-image-rt-amd64)"));
        }
        if (f.hz().isPresent()) {
            int hz = f.hz().get();
            out.add(new Finding(hz >= 250 ? Level.OK : Level.WARN, "timer tick", "CONFIG_HZ=" + hz
                    + f.noHz().map(n -> ", NO_HZ " + n).orElse(""),
                    hz >= 250 ? "" : "a low HZ lengthens tick-driven work; high-resolution timers still serve clock_nanosleep"));
        } else {
            out.add(new Finding(Level.INFO, "timer tick", "kernel config not readable (no /proc/config.gz or /boot/config-"
                    + f.kernelRelease() + ")", "HZ and NO_HZ unknown"));
        }
        String cs = f.clocksource();
        out.add(cs.equals("tsc") || cs.equals("arch_sys_counter") || cs.equals("kvm-clock")
                ? new Finding(Level.OK, "clocksource", cs + " (available: " + String.join(" ", f.availableClocksources()) + ")", "")
                : new Finding(Level.WARN, "clocksource", cs + " (available: " + String.join(" ", f.availableClocksources()) + ")",
                        cs.equals("hpet") || cs.equals("acpi_pm") ? "a slow clocksource adds read cost to every sample; prefer tsc" : "check that reading the clock is cheap"));
        if (f.rtRuntimeUs().isPresent()) {
            long rt = f.rtRuntimeUs().get();
            long period = f.rtPeriodUs().orElse(1_000_000L);
            out.add(rt < 0 ? new Finding(Level.OK, "RT throttling", "disabled (sched_rt_runtime_us=-1)", "")
                    : new Finding(Level.WARN, "RT throttling", "real-time tasks limited to " + rt + " us every " + period + " us",
                            "a runaway RT task cannot hang the box, but a spike can be a throttled period: "
                                    + "echo -1 > /proc/sys/kernel/sched_rt_runtime_us for dedicated test machines"));
        }
        out.add(c.fifoRefused().isEmpty()
                ? new Finding(Level.OK, "SCHED_FIFO", "granted (tried priority 1 on a scratch thread)", "")
                : new Finding(Level.FAIL, "SCHED_FIFO", "refused: " + c.fifoRefused().get(),
                        "run as root, or an rtprio limit (/etc/security/limits.d: USER - rtprio 99) or CAP_SYS_NICE as an ambient capability (docs/privileges.md); vmlat will not measure at normal priority without --allow-nonrt"));
        out.add(c.mlockRefused().isEmpty()
                ? new Finding(Level.OK, "mlockall", "granted (MCL_CURRENT|MCL_FUTURE)", "")
                : new Finding(Level.FAIL, "mlockall", "refused: " + c.mlockRefused().get(),
                        "run as root, or a memlock limit (/etc/security/limits.d: USER - memlock unlimited) or CAP_IPC_LOCK as an ambient capability (docs/privileges.md)"));
        if (f.isolatedCpus().isEmpty() && f.nohzFullCpus().isEmpty()) {
            out.add(new Finding(Level.WARN, "isolated CPUs", "none (online " + CpuList.format(f.onlineCpus()) + ")",
                    "for production-grade figures isolate measuring CPUs: isolcpus=, nohz_full=, rcu_nocbs= on the kernel command line"));
        } else {
            out.add(new Finding(Level.OK, "isolated CPUs", "isolated " + orNone(f.isolatedCpus()) + ", nohz_full " + orNone(f.nohzFullCpus()),
                    "pin the probe there with -a"));
        }
        if (f.governors().isEmpty()) {
            out.add(new Finding(Level.INFO, "cpufreq", "no cpufreq (frequency managed by the hypervisor or firmware)", ""));
        } else {
            boolean allPerf = f.governors().values().stream().allMatch("performance"::equals);
            out.add(new Finding(allPerf ? Level.OK : Level.WARN, "cpufreq", "governor " + String.join(",", new java.util.TreeSet<>(f.governors().values())),
                    allPerf ? "" : "frequency changes add latency: cpupower frequency-set -g performance"));
        }
        if (f.cpuidleDriver().isPresent()) {
            boolean deep = f.idleStates().stream().anyMatch(s -> s.startsWith("C3") || s.startsWith("C6") || s.startsWith("C7") || s.startsWith("C8") || s.startsWith("C10"));
            out.add(new Finding(deep ? Level.WARN : Level.INFO, "idle states", f.cpuidleDriver().get() + ": "
                    + (f.idleStates().isEmpty() ? "no states listed" : String.join(" ", f.idleStates())),
                    deep ? "deep C-states add exit latency; vmlat and cyclictest hold /dev/cpu_dma_latency at 0 while measuring" : ""));
        }
        if (f.virtualization().equals("none")) {
            out.add(new Finding(Level.OK, "virtualization", "bare metal", ""));
        } else {
            out.add(new Finding(Level.INFO, "virtualization", "running under a hypervisor: " + f.virtualization()
                    + (f.virtualizationEvidence().isEmpty() ? "" : " (" + String.join(", ", f.virtualizationEvidence()) + ")"),
                    "latencies measured here include the hypervisor underneath"));
        }
        for (var tool : c.tools().entrySet()) {
            Optional<String> path = tool.getValue();
            boolean core = tool.getKey().equals("cyclictest");
            out.add(path.isPresent()
                    ? new Finding(Level.OK, "tool " + tool.getKey(), path.get(), "")
                    : new Finding(core ? Level.WARN : Level.INFO, "tool " + tool.getKey(), "not installed",
                            "apt-get install " + packageOf(tool.getKey())));
        }
        out.add(kvm(f, c));
        return out;
    }

    private static Finding kvm(SystemFacts f, Capabilities c) {
        if (c.kvmTestBoot().isPresent()) {
            boolean works = c.kvmTestBoot().get().equals("kvm");
            return new Finding(works ? Level.OK : Level.WARN, "KVM", works ? "a guest test boot under KVM succeeded"
                    : "a guest test boot under KVM failed (" + f.kvmModule().orElse("no kvm module") + (f.cpuHasVmxOrSvm() ? "" : ", no VMX/SVM") + ")",
                    works ? "" : "guests run under full emulation (TCG); results say so");
        }
        if (!f.kvmDevice()) {
            return new Finding(Level.INFO, "KVM", "no /dev/kvm: guests will run under full emulation (TCG)",
                    "load kvm_intel or kvm_amd, or enable VT-x/AMD-V (nested virtualization in a VM)");
        }
        if (c.kvmOpen().isPresent()) {
            return new Finding(Level.WARN, "KVM", "/dev/kvm not usable: " + c.kvmOpen().get(), "run as root or join the kvm group");
        }
        if (f.kvmModule().map("kvm_pvm"::equals).orElse(false) || !f.cpuHasVmxOrSvm()) {
            return new Finding(Level.WARN, "KVM", "/dev/kvm present but served by " + f.kvmModule().orElse("a module")
                    + (f.cpuHasVmxOrSvm() ? "" : " without VMX/SVM in the CPU flags")
                    + ": ordinary guest kernels do not run under -accel kvm here",
                    "guests fall back to full emulation (TCG); results say so");
        }
        return new Finding(Level.OK, "KVM", "/dev/kvm present, CPU has " + (f.cpuHasVmxOrSvm() ? "VMX/SVM" : "?")
                + f.kvmModule().map(m -> ", module " + m).orElse(""), "a guest test boot confirms it before guests are measured");
    }

    private static String orNone(List<Integer> cpus) {
        return cpus.isEmpty() ? "none" : CpuList.format(cpus);
    }

    private static String packageOf(String tool) {
        return switch (tool) {
            case "cyclictest", "hackbench" -> "rt-tests";
            case "qemu-system-x86_64" -> "qemu-system-x86";
            default -> tool;
        };
    }
}
