package org.vmlat.os;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What vmlat knows about a system before measuring on it, read from /proc and /sys (see
 * {@link SystemFactsReader}). Absent facts are empty, never guessed.
 *
 * @param preemption   "PREEMPT_RT", "PREEMPT_DYNAMIC(full)", "PREEMPT", "VOLUNTARY", "NONE" or "unknown"
 * @param virtualization what runs underneath: "none", "kvm", "xen", "vmware", "hyperv",
 *                       "hypervisor (unidentified)", ...
 */
public record SystemFacts(
        String kernelRelease,
        String kernelVersion,
        String preemption,
        boolean realtimeFlag,
        Optional<Integer> hz,
        Optional<String> noHz,
        String cmdline,
        String clocksource,
        List<String> availableClocksources,
        Optional<Long> rtRuntimeUs,
        Optional<Long> rtPeriodUs,
        List<Integer> onlineCpus,
        List<Integer> isolatedCpus,
        List<Integer> nohzFullCpus,
        Map<Integer, String> governors,
        Optional<String> cpuidleDriver,
        List<String> idleStates,
        String cpuModel,
        String virtualization,
        List<String> virtualizationEvidence,
        boolean kvmDevice,
        boolean cpuHasVmxOrSvm,
        Optional<String> kvmModule) {

    public SystemFacts {
        availableClocksources = List.copyOf(availableClocksources);
        onlineCpus = List.copyOf(onlineCpus);
        isolatedCpus = List.copyOf(isolatedCpus);
        nohzFullCpus = List.copyOf(nohzFullCpus);
        governors = Collections.unmodifiableMap(new LinkedHashMap<>(governors));
        idleStates = List.copyOf(idleStates);
        virtualizationEvidence = List.copyOf(virtualizationEvidence);
    }

    /** Flat, stable key/value form for results and the store. */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("kernel.release", kernelRelease);
        m.put("kernel.version", kernelVersion);
        m.put("kernel.preemption", preemption);
        m.put("kernel.realtime", realtimeFlag ? "1" : "0");
        hz.ifPresent(v -> m.put("kernel.hz", v.toString()));
        noHz.ifPresent(v -> m.put("kernel.nohz", v));
        m.put("kernel.cmdline", cmdline);
        m.put("clocksource", clocksource);
        rtRuntimeUs.ifPresent(v -> m.put("sched.rt_runtime_us", v.toString()));
        rtPeriodUs.ifPresent(v -> m.put("sched.rt_period_us", v.toString()));
        m.put("cpus.online", CpuList.format(onlineCpus));
        m.put("cpus.isolated", CpuList.format(isolatedCpus));
        m.put("cpus.nohz_full", CpuList.format(nohzFullCpus));
        m.put("cpu.model", cpuModel);
        if (!governors.isEmpty()) m.put("cpufreq.governor", String.join(",", new java.util.TreeSet<>(governors.values())));
        cpuidleDriver.ifPresent(v -> m.put("cpuidle.driver", v));
        m.put("virtualization", virtualization);
        m.put("kvm.device", kvmDevice ? "present" : "absent");
        kvmModule.ifPresent(v -> m.put("kvm.module", v));
        return m;
    }
}
