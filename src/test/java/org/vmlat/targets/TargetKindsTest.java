package org.vmlat.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TargetKindsTest {
    @Test
    void oneKindPerNameAndLocalByDefault() {
        assertThat(TargetKinds.names()).containsExactly("local", "qemu", "xen", "ssh", "libvirt").doesNotHaveDuplicates();
        assertThat(TargetKinds.defaultKind().name()).isEqualTo("local");
        assertThat(TargetKinds.byName("xen")).get().extracting(TargetKind::guest).isEqualTo(true);
        assertThat(TargetKinds.byName("libvirt")).get().extracting(TargetKind::guest).isEqualTo(true);
        // the matrix shows target dimensions in registry order, each once (kernel is qemu's and xen's)
        assertThat(TargetKinds.dimensionNames()).containsExactly("kernel", "reservation", "mode", "dm_priority", "scheduler", "vcpu_pin", "vcpu_sched",
                "vcpu_priority", "emulator_pin", "emulator_priority");
        for (TargetKind<?> k : TargetKinds.all()) assertThat(k.keys()).as(k.name()).doesNotContain("name", "kind");
    }

    /** docs/targets.md is where a user looks a key up: every kind and every key it accepts is there. */
    @Test
    void theTargetsDocumentNamesEveryKindAndKey() throws Exception {
        String doc = Files.readString(Path.of("docs/targets.md"));
        for (TargetKind<?> k : TargetKinds.all()) {
            List<String> row = doc.lines().filter(l -> l.startsWith("| `" + k.name() + "` |")).toList();
            assertThat(row).as("rows of kind %s", k.name()).hasSize(2);
            for (String key : k.keys()) assertThat(row.get(1)).as("key %s of %s", key, k.name()).contains("`" + key + "`");
            for (MatrixDimension d : k.dimensions()) assertThat(row.get(0)).as("dimension %s of %s", d.name(), k.name()).contains("`" + d.name() + "`");
        }
    }
}
