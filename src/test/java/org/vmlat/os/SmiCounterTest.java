package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmiCounterTest {
    static String cpuinfo(String vendor, int family, String flags) {
        return "processor\t: 0\nvendor_id\t: " + vendor + "\ncpu family\t: " + family + "\nmodel\t\t: 85\nflags\t\t: " + flags
                + "\n\nprocessor\t: 1\nvendor_id\t: Other\n";
    }

    @Test
    void onlyABareMetalIntelFamilySixHasTheCounter() {
        assertThat(SmiCounter.unavailable(cpuinfo("GenuineIntel", 6, "fpu vme msr pae"))).isEmpty();
        assertThat(SmiCounter.unavailable(cpuinfo("GenuineIntel", 6, "fpu msr hypervisor pae"))).hasValue(
                "this CPU is a VM's virtual CPU (GenuineIntel): the hypervisor shows no SMI counter; SMIs are taken by the host and count there");
        assertThat(SmiCounter.unavailable(cpuinfo("AuthenticAMD", 25, "fpu msr pae"))).hasValue(
                "this CPU (AuthenticAMD, family 25) has no SMI counter: MSR_SMI_COUNT is Intel's, family 6");
        assertThat(SmiCounter.unavailable(cpuinfo("GenuineIntel", 6, "fpu vme pae"))).hasValue(
                "this CPU has no model-specific registers (no msr flag)");
    }
}
