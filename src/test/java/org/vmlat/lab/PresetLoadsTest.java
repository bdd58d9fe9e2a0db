package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.load.Placement;

/** Presets named in [matrix] load without a [[load]] table of their own; a [[load]] of the same name still wins. */
class PresetLoadsTest {
    static final List<Integer> CPUS = List.of(0, 1);

    @Test
    void aPresetsNameIsALoad() {
        Plan p = PlanFile.parse("plan.toml", "duration = \"500ms\"\n[matrix]\ninterval = [\"1ms\"]\nload = [\"none\", \"io\", \"scheduler\"]\n", CPUS);
        assertThat(p.loads().keySet()).containsExactly("none", "io", "scheduler");
        assertThat(p.loads().get("io").preset()).isEqualTo("io");
        assertThat(p.loads().get("io").instances()).isZero();
        assertThat(p.loads().get("scheduler").placement()).isEqualTo(Placement.HOST);
        assertThat(p.durationNs()).isEqualTo(500_000_000L); // builtin only: a sub-second duration is fine
    }

    @Test
    void aLoadTableOfThatNameWins() {
        Plan p = PlanFile.parse("plan.toml", "duration = \"1s\"\n[matrix]\ninterval = [\"1ms\"]\nload = [\"cpu\"]\n"
                + "[[load]]\nname = \"cpu\"\npreset = \"cpu\"\ninstances = 1\n", CPUS);
        assertThat(p.loads().get("cpu").instances()).isEqualTo(1);
    }

    @Test
    void anUnknownNameListsTheLoadsAndThePresets() {
        assertThatThrownBy(() -> PlanFile.parse("plan.toml", "duration = \"1s\"\n[matrix]\ninterval = [\"1ms\"]\nload = [\"none\", \"disk\"]\n", CPUS))
                .isInstanceOf(FormatException.class)
                .hasMessageContaining("plan.toml:4: load[2]: unknown load \"disk\" (defined: none; presets usable by name: builtin-cpu, ")
                .hasMessageContaining("io, memory, scheduler, syscall)");
    }
}
