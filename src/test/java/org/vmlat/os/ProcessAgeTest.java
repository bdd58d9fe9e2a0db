package org.vmlat.os;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProcessAgeTest {
    @Test
    void ageIsUptimeLessTheStartTicksInHundredths() {
        // started 1234.56 s after boot (123456 ticks of 1/100 s), now 1300.25 s after boot
        assertThat(ProcessIdentity.ageMs(123456, "1300.25 2400.10\n")).isEqualTo(65_690);
        assertThat(ProcessIdentity.ageMs(0, "0.07 0.00")).isEqualTo(70);
    }

    /**
     * The JVM records its start time early in its own start-up, after the exec: the process's age
     * must place the exec at most one tick after that and not long before it (ProcessHandle's
     * startInstant, built on /proc/stat's whole-second btime, is off by up to a second).
     */
    @Test
    void thisProcessStartedJustBeforeTheJvmSaysItDid() {
        long now = System.currentTimeMillis();
        long age = ProcessIdentity.self().ageMs();
        long exec = now - age;
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.printf("exec %d ms before the JVM's start time (ProcessHandle says %d)%n", jvmStart - exec,
                jvmStart - ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L));
        assertThat(age).isPositive();
        assertThat(exec).as("exec (ms since the epoch)").isLessThanOrEqualTo(jvmStart + 20).isGreaterThan(jvmStart - 300);
    }
}
