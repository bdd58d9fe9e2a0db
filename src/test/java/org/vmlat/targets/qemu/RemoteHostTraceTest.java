package org.vmlat.targets.qemu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.KernelTrace;

/** The remote recorder's round trips read from its own marks, and what its shell asks of the host's tracefs. */
class RemoteHostTraceTest {
    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    @Test
    void roundTripsPairASendWithTheReceiptOfTheSameNumber() throws IOException {
        // marks as the emulated KVM host's tracefs wrote them (the first three lines), then a lost send and a kvm line
        String trace = """
                # tracer: nop
                           <...>-1402    [000] .....   231.953510: tracing_mark_write: vmlat-host-sync-send 7
                           <...>-1402    [000] .....   231.953806: tracing_mark_write: vmlat-host-sync-recv 7
                           <...>-1402    [000] .....   231.953861: tracing_mark_write: vmlat-host-sync-recv 8
                       CPU 0/KVM-287     [001] d..1.   231.954001: kvm_entry: vcpu 0, rip 0xffffffff81a592eb
                           <...>-1402    [001] .....   231.960000: tracing_mark_write: vmlat-host-sync-send 9
                           <...>-1402    [001] .....   231.961250: tracing_mark_write: vmlat-host-sync-recv 9
                """;
        var trips = RemoteHostTrace.roundTrips(new KernelTrace.HostTrace("root@kvm", gzip(trace), 0));
        assertThat(trips).containsExactly(new KernelTrace.RoundTrip(7, 231_953_510_000L, 231_953_806_000L),
                new KernelTrace.RoundTrip(9, 231_960_000_000L, 231_961_250_000L));
        assertThatThrownBy(() -> RemoteHostTrace.roundTrips(new KernelTrace.HostTrace("root@kvm", "not gzip".getBytes(StandardCharsets.UTF_8), 0)))
                .isInstanceOf(ProbeException.class).hasMessageContaining("root@kvm");
    }

    @Test
    void theRecorderTracesQemusThreadsAndKvmsExitsInAnInstanceOfItsOwn() {
        String s = RemoteHostTrace.script("/tmp/vmlat-guest-x1", java.util.List.of(1));
        assertThat(s).contains("D='/tmp/vmlat-guest-x1'", "I=$T/instances/vmlat-host-$$", "echo mono > $I/trace_clock",
                "kvm/kvm_exit kvm/kvm_entry kvm/kvm_msr", "grep -q VMLAT-START $D/console.log", "case ' 1 ' in", "taskset -p -c ${A#,} $$", "renice -n 19 -p $$",
                "prev_comm ~ \"CPU *\" || prev_comm ~ \"qemu-system*\" || next_comm ~ \"CPU *\"",
                "exec 3>$D/sync.in 4<$D/sync.out", "rmdir $I");
        // the instance goes whatever ends the shell; the trace is written before
        assertThat(s.indexOf("trap 'echo 0 > $I/tracing_on; rmdir $I")).isLessThan(s.indexOf("echo 1 > $I/tracing_on"));
        assertThat(s.indexOf("host-trace.b64")).isLessThan(s.indexOf("VMLAT-HOSTTRACE-DONE"));
    }
}
