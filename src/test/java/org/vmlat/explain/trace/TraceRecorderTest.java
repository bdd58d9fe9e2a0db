package org.vmlat.explain.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceLineParser;
import org.vmlat.explain.TraceWindow;

class TraceRecorderTest {
    static List<String> fixture() throws IOException {
        try (InputStream in = TraceRecorderTest.class.getResourceAsStream("/org/vmlat/explain/spike-kdamond.trace")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @Test
    void theByteTimestampIsTheParsersTimestamp() throws IOException {
        for (String l : fixture()) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            long expected = TraceLineParser.parse(l).map(TraceEvent::tsNs).orElse(-1L);
            assertThat(TraceBytes.timestampNs(b, 0, b.length)).as(l).isEqualTo(expected);
        }
        byte[] noFlags = "  <idle>-0     [000]  1.5: local_timer_entry: vector=236".getBytes(StandardCharsets.US_ASCII);
        assertThat(TraceBytes.timestampNs(noFlags, 0, noFlags.length)).isEqualTo(1_500_000_000L);
    }

    @Test
    void theRingKeepsTheNewestLinesAcrossItsEnd() {
        LineRing ring = new LineRing(16, 3);
        byte[] b = "aaaaabbbbbcccccdddddeeeee".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 5; i++) ring.append(b, i * 5, 5, i);
        // 16 bytes hold three lines of five
        assertThat(ring.between(0, 10)).containsExactly("ccccc", "ddddd", "eeeee");
        ring.dropBefore(4);
        assertThat(ring.between(0, 10)).containsExactly("eeeee");
        ring.append("ffffffffffff".getBytes(StandardCharsets.US_ASCII), 0, 12, 5);
        assertThat(ring.between(0, 10)).containsExactly("ffffffffffff");
    }

    /** The fixture is the window the recorder cut on this machine; fed again line by line it is cut again. */
    @Test
    void cutsTheWindowOfALateWakeUpFromTheLinesItReads() throws IOException {
        TraceRecorder r = new TraceRecorder(new TraceRecorder.Settings("vmlat-probe-", 100_000, 20_000, 20_000, 10, 1000, 64), null);
        List<String> lines = new java.util.ArrayList<>(fixture());
        lines.add("   vmlat-probe-0-17732   [001] d..2.  3558.695000: sched_switch: prev_comm=vmlat-probe-0 prev_pid=17732 prev_prio=4 "
                + "prev_state=S ==> next_comm=java next_pid=4283 next_prio=120");
        for (String l : lines) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            r.accept(b, 0, b.length);
        }
        List<TraceWindow> w = r.windows();
        // the first switch-in (3558.693794) had no timer armed before it in view; the second is 157.89 us late
        assertThat(w).hasSize(1);
        assertThat(w.get(0).tid()).isEqualTo(17732);
        assertThat(w.get(0).expiresNs()).isEqualTo(3_558_694_769_110L);
        assertThat(w.get(0).kernelLatencyNs()).isEqualTo(157_890);
        // from 20 us before the timer was armed (3558.693798) to 20 us after the switch-in (3558.694927)
        assertThat(w.get(0).events()).first().extracting(TraceEvent::tsNs).isEqualTo(3_558_693_783_000L);
        assertThat(w.get(0).events()).last().extracting(TraceEvent::tsNs).isEqualTo(3_558_694_942_000L);
        assertThat(w.get(0).events()).hasSize(17);
    }

    @Test
    void theCpuMaskIsHexInGroupsOf32Bits() {
        assertThat(TracefsInstance.mask(List.of(1))).isEqualTo("2");
        assertThat(TracefsInstance.mask(List.of(0, 3))).isEqualTo("9");
        assertThat(TracefsInstance.mask(List.of(32, 1))).isEqualTo("1,00000002");
    }
}
