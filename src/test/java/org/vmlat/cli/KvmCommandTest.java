package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** What `vmlat kvm up` refuses before it builds or boots anything. */
class KvmCommandTest {
    static int vmlat(StringWriter out, String... args) {
        return Vmlat.commandLine(new PrintWriter(out, true), new PrintWriter(out, true)).execute(args);
    }

    @Test
    void aRealtimeHostIsRefusedWithTheReason() {
        StringWriter out = new StringWriter();
        assertThat(vmlat(out, "kvm", "up", "--rt")).isEqualTo(ExitCodes.ENVIRONMENT);
        assertThat(out.toString()).contains("PREEMPT_RT", "RT requires X86_FEATURE_CONSTANT_TSC", "invariant TSC", "does not patch binaries");
    }

    @Test
    void badSizesAreUsageErrors() {
        StringWriter out = new StringWriter();
        assertThat(vmlat(out, "kvm", "up", "--cpus", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(out.toString()).contains("--cpus: expected 1..8, got 0");
        out = new StringWriter();
        assertThat(vmlat(out, "kvm", "up", "--memory", "512")).isEqualTo(ExitCodes.USAGE);
        assertThat(out.toString()).contains("--memory: at least 1024 MiB");
        out = new StringWriter();
        assertThat(vmlat(out, "kvm", "up", "--lifetime", "soon")).isEqualTo(ExitCodes.USAGE);
        assertThat(out.toString()).contains("--lifetime");
    }
}
