package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims between real processes: another JVM holds CPU 1 of a lock folder. */
class CpuClaimsTest {
    /** Holds CPUs 1 and 3 of the folder in args[0] until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            CpuClaims.Attempt a = new CpuClaims(Path.of(args[0])).tryClaim(List.of(3, 1), "test holder");
            System.out.println(a.claim().isPresent() ? "held" : "busy");
            System.out.flush();
            Thread.sleep(300_000);
        }
    }

    @Test
    void aCpuHeldByAnotherProcessIsReportedWithItsPidAndFreedWhenItIsKilled(@TempDir Path dir) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), dir.toString()).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("held");
        }
        CpuClaims claims = new CpuClaims(dir);
        CpuClaims.Attempt a = claims.tryClaim(List.of(0, 1), "test");
        assertThat(a.claim()).isEmpty();
        assertThat(a.busy().orElseThrow().cpu()).isEqualTo(1);
        assertThat(a.busy().orElseThrow().message()).isEqualTo("CPU 1 is being measured by another vmlat (vmlat pid " + holder.pid() + ", test holder)");
        // CPU 0 was released again when CPU 1 was found taken: all or nothing
        try (CpuClaims.Claim zero = claims.tryClaim(List.of(0, 2), "test").claim().orElseThrow()) {
            assertThat(zero.cpus()).containsExactly(0, 2);
        }

        holder.destroyForcibly(); // SIGKILL: the kernel drops the lock
        assertThat(holder.waitFor(10, TimeUnit.SECONDS)).isTrue();
        try (CpuClaims.Claim c = claims.tryClaim(List.of(1, 3), "test").claim().orElseThrow()) {
            assertThat(c.cpus()).containsExactly(1, 3);
        }
    }

    @Test
    void waitingReportsTheHolderOnceAndGivesUpWhenStopped(@TempDir Path dir) throws Exception {
        CpuClaims claims = new CpuClaims(dir);
        try (CpuClaims.Claim held = claims.tryClaim(List.of(1), "first").claim().orElseThrow()) {
            List<CpuClaims.Busy> seen = new java.util.ArrayList<>();
            long start = System.nanoTime();
            var got = claims.claim(List.of(1), "second", () -> System.nanoTime() - start > 1_200_000_000L, seen::add);
            assertThat(got).isEmpty();
            assertThat(seen).hasSize(1);
            assertThat(seen.get(0).holder()).startsWith("this vmlat");
        }
        assertThat(claims.tryClaim(List.of(1), "third").claim()).isPresent();
    }
}
