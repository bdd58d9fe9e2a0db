package org.vmlat.targets.xen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XlInfoTest {
    @Test
    void readsTheFactsOfARealXen417() throws Exception {
        String text;
        try (var in = XlInfoTest.class.getResourceAsStream("/xen/xl-info-4.17.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> info = XlInfo.parse(text);
        assertThat(info).containsEntry("xen_version", "4.17.7").containsEntry("nr_cpus", "2").containsEntry("xen_changeset", "");
        Map<String, String> facts = XlInfo.facts(info);
        assertThat(facts).containsEntry("xen.version", "4.17.7").containsEntry("xen.scheduler", "credit2")
                .containsEntry("xen.virt_caps", "pv hvm hap gnttab-v1 gnttab-v2").containsEntry("xen.dom0_kernel", "6.1.0-56-amd64")
                .containsEntry("xen.commandline", "console=com1 com1=115200 dom0_mem=768M dom0_max_vcpus=1 dom0_vcpus_pin");
    }

    @Test
    void wrappedValuesAreJoined() {
        Map<String, String> info = XlInfo.parse("xen_commandline        : placeholder dom0_mem=1G\n                         sched=credit2\nxen_version : 4.19.1\n");
        assertThat(info).containsEntry("xen_commandline", "placeholder dom0_mem=1G sched=credit2").containsEntry("xen_version", "4.19.1");
    }
}
