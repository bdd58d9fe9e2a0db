package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The mark and the stop on a real tracefs: an instance of the test's own, so nobody else's trace is stopped. */
class TraceMarkerTest {

    @Test
    void theMarkIsInTheTraceAndTracingStopsRightAfterIt() throws Exception {
        Path root;
        try {
            root = TraceMarker.tracefs();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no tracefs: " + e.getMessage());
            return;
        }
        Path instance = root.resolve("instances").resolve("vmlat-test-mark-" + ProcessHandle.current().pid());
        try {
            Files.createDirectory(instance);
        } catch (java.io.IOException e) {
            assumeTrue(false, "cannot create a tracefs instance (not root?): " + e.getMessage());
        }
        try {
            Files.writeString(instance.resolve("tracing_on"), "1");
            try (TraceMarker m = TraceMarker.open(instance)) {
                m.mark("hit latency threshold (152 > 100) vmlat thread 1 cycle 7 latency 152340 ns");
            }
            assertThat(Files.readString(instance.resolve("tracing_on")).strip()).isEqualTo("0");
            String trace = Files.readString(instance.resolve("trace"));
            assertThat(trace).contains("tracing_mark_write: hit latency threshold (152 > 100) vmlat thread 1 cycle 7 latency 152340 ns");
            // once stopped, nothing more gets in (the kernel refuses the write): the trace ends at the mark
            assertThatThrownBy(() -> Files.writeString(instance.resolve("trace_marker"), "after the stop")).isInstanceOf(java.io.IOException.class);
            assertThat(Files.readString(instance.resolve("trace"))).doesNotContain("after the stop");
            System.out.println("trace lines with the mark: " + trace.lines().filter(l -> l.contains("hit latency threshold")).count());
        } finally {
            Files.delete(instance);
        }
    }
}
