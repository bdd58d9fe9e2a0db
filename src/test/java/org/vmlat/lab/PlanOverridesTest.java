package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;

class PlanOverridesTest {
    static final String PLAN = "name = \"p\"\nduration = \"30s\"   # per scenario\n\n[matrix]\ninterval = [\"1ms\"]\nrepetitions = 7\n";

    @Test
    void theFilesLinesAreReplacedAndSayWhatTheFileSaid() {
        String text = new PlanOverrides("500ms", 3).apply(PLAN);
        // repetitions is added at the top: the one under [matrix] is a matrix key, not the plan's
        assertThat(text).isEqualTo("repetitions = 3   # --repetitions on the command line\nname = \"p\"\n"
                + "duration = \"500ms\"   # --duration on the command line; the file said: duration = \"30s\"    per scenario\n\n"
                + "[matrix]\ninterval = [\"1ms\"]\nrepetitions = 7\n");
        assertThat(PlanOverrides.NONE.apply(PLAN)).isSameAs(PLAN);
    }

    @Test
    void theOverriddenPlanIsCheckedAsAFileWouldBe() {
        String plan = "duration = \"30s\"\nrepetitions = 2\n[matrix]\ninterval = [\"1ms\"]\n";
        Plan p = PlanFile.parse("p.toml", new PlanOverrides("250ms", 5).apply(plan), List.of(0, 1));
        assertThat(p.durationNs()).isEqualTo(250_000_000L);
        assertThat(p.repetitions()).isEqualTo(5);
        assertThat(Matrix.expand(p)).hasSize(5);
        String cyclictest = "duration = \"30s\"\n[matrix]\nprobe = [\"cyclictest\"]\ninterval = [\"1ms\"]\n";
        assertThatThrownBy(() -> PlanFile.parse("p.toml", new PlanOverrides("1500ms", null).apply(cyclictest), List.of(0, 1)))
                .isInstanceOf(FormatException.class).hasMessageContaining("p.toml:1: duration: must be whole seconds (cyclictest's -D unit)");
        assertThatThrownBy(() -> PlanFile.parse("p.toml", new PlanOverrides(null, 0).apply(plan), List.of(0, 1)))
                .isInstanceOf(FormatException.class).hasMessageContaining("p.toml:2: repetitions: expected 1..1000, got 0");
        assertThatThrownBy(() -> new PlanOverrides("1s\"\nx = \"", null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--duration: expected a duration");
    }
}
