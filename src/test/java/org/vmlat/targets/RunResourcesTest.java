package org.vmlat.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunResourcesTest {
    /** A resource that notes when it is closed, and may refuse. */
    record Noted(String name, List<String> log, boolean fails) implements AutoCloseable {
        @Override
        public void close() {
            log.add(name);
            if (fails) throw new IllegalStateException(name + " refused");
        }
    }

    @Test
    void oneResourcePerKeyClosedInReverseOrderEvenWhenOneFails() {
        List<String> closed = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        RunResources r = new RunResources(warnings::add);
        int[] opened = {0};
        Noted a = r.shared("a", Noted.class, () -> {
            opened[0]++;
            return new Noted("a", closed, false);
        });
        assertThat(r.shared("a", Noted.class, () -> new Noted("a2", closed, false))).isSameAs(a);
        r.shared("b", Noted.class, () -> new Noted("b", closed, true));
        r.shared("c", Noted.class, () -> new Noted("c", closed, false));
        assertThat(opened[0]).isEqualTo(1);

        r.close();
        assertThat(closed).containsExactly("c", "b", "a");
        assertThat(warnings).containsExactly("could not close b: b refused");

        // empty after closing: the next run opens its own
        r.shared("a", Noted.class, () -> new Noted("a-next", closed, false));
        r.close();
        assertThat(closed).endsWith("a-next");
    }
}
