package org.vmlat.probe.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.os.SchedPolicy;
import org.vmlat.os.command.CommandOutput;
import org.vmlat.os.command.CommandRunner;
import org.vmlat.os.command.LocalCommandRunner;
import org.vmlat.os.command.RunningCommand;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;

/** The installed cyclictest run for real through the local runner (needs rt-tests and root). */
@Timeout(60)
class CyclictestProbeTest {
    static final long MS = 1_000_000, S = 1_000_000_000L;

    /** The local runner, remembering the files the driver made. */
    static final class Recording implements CommandRunner {
        final LocalCommandRunner local = new LocalCommandRunner();
        final List<String> files = new ArrayList<>();

        @Override
        public String where() {
            return local.where();
        }

        @Override
        public RunningCommand start(List<String> argv, CommandOutput output) {
            return local.start(argv, output);
        }

        @Override
        public String createTempFile(String prefix, String suffix) {
            String f = local.createTempFile(prefix, suffix);
            files.add(f);
            return f;
        }

        @Override
        public byte[] readFile(String path) {
            return local.readFile(path);
        }

        @Override
        public void deleteFile(String path) {
            local.deleteFile(path);
        }

        @Override
        public void close() {
            local.close();
        }
    }

    @BeforeEach
    void needsCyclictestAndRoot() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/cyclictest")), "rt-tests not installed");
        assumeTrue("root".equals(System.getProperty("user.name")), "SCHED_FIFO needs root");
    }

    @Test
    void measuresOneSecondAndLeavesNoFileBehind() {
        ProbeSpec spec = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 0, 1, List.of(), S, 0, true, 0, false, 10, 0, 10 * MS);
        try (Recording runner = new Recording()) {
            MeasurementResult r = new CyclictestProbe(new CyclictestDriver(runner, "cyclictest")).run(spec, ProbeListener.NONE, new RunControl());
            assertThat(r.settings().get("command")).isEqualTo("cyclictest -m --policy=fifo -p95 -i1000 -t1 -D1 -h10000 --json=" + runner.files.get(0));
            assertThat(r.settings()).containsKey("cyclictest_version");
            assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
            ThreadResult t = r.threads().get(0);
            // at most one sample per period of the second; a loaded machine may skip some
            assertThat(t.count()).isBetween(500L, 1000L);
            assertThat(t.count()).isEqualTo(t.histogram().getTotalCount() + t.histogramOverflows());
            assertThat(t.minNs()).isPositive().isLessThanOrEqualTo(t.maxNs());
            assertThat(runner.files).hasSize(1).allMatch(f -> !Files.exists(Path.of(f)));
        }
    }

    @Test
    void aStopRequestEndsALongRunEarlyWithWhatWasMeasured() throws Exception {
        ProbeSpec spec = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 0, 1, List.of(), 30 * S, 0, true, 0, false, 10, 0, 10 * MS);
        RunControl control = new RunControl();
        Thread stopper = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            control.requestStop(StopReason.INTERRUPTED);
        });
        stopper.start();
        long t0 = System.nanoTime();
        MeasurementResult r = new CyclictestProbe("cyclictest").run(spec, ProbeListener.NONE, control);
        assertThat(System.nanoTime() - t0).isLessThan(10 * S);
        assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
        assertThat(r.threads().get(0).count()).isPositive();
    }
}
