package org.vmlat.probe.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.Breaktrace;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.latency.ThreadResult;
import org.vmlat.os.SchedPolicy;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.RunControl;
import org.vmlat.probe.ThreadStatus;

/**
 * The driver against real cyclictest output played back by {@link ReplayRunner}; expected figures
 * are read off the fixtures' own lines ("# Total", "# Min/Max Latencies", the JSON's sysinfo).
 */
class CyclictestDriverTest {
    static final long MS = 1_000_000, S = 1_000_000_000L;
    /** The spec the live fixture was recorded with: -m --policy=fifo -p95 -i1000 -t2 -a0,1 -D1 -h500. */
    static final ProbeSpec LIVE = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 0, 2, List.of(0, 1), S, 0, true, 0, false, 10, 0, 500_000);

    static String fixture(String path) {
        try (InputStream in = CyclictestDriverTest.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + path);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String STDOUT = fixture("/org/vmlat/probe/cyclictest/live-t2-h500.stdout");
    static final String JSON = fixture("/org/vmlat/probe/cyclictest/live-t2-h500.json");

    /** Records the status calls. */
    static final class Statuses implements ProbeListener {
        final List<List<ThreadStatus>> seen = new ArrayList<>();
        final List<String> warnings = new ArrayList<>();

        @Override
        public void status(List<ThreadStatus> threads) {
            seen.add(threads);
        }

        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    }

    @Test
    void aLiveRunBecomesTheResultModel() {
        ReplayRunner runner = new ReplayRunner(STDOUT, "", 0, JSON, -1);
        Statuses listener = new Statuses();
        MeasurementResult r = new CyclictestDriver(runner, "cyclictest").run(LIVE, listener, new RunControl());

        List<String> argv = List.of("cyclictest", "-m", "--policy=fifo", "-p95", "-i1000", "-t2", "-a0-1", "-D1", "-h500",
                "--json=/replay/vmlat-cyclictest-1.json");
        assertThat(runner.started).containsExactly(argv);
        assertThat(runner.deleted).containsExactly("/replay/vmlat-cyclictest-1.json");
        assertThat(r.engine()).isEqualTo("cyclictest");
        assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
        assertThat(r.breaktrace()).isEmpty();
        assertThat(r.realtime()).isTrue();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.settings()).containsEntry("command", String.join(" ", argv)).containsEntry("cyclictest_version", "2.40")
                .containsEntry("policy", "fifo").containsEntry("priority", "95").containsEntry("interval_ns", "1000000")
                .containsEntry("threads", "2").containsEntry("affinity", "0-1").containsEntry("duration_ns", "1000000000");
        assertThat(r.system()).containsEntry("cyclictest.release", "6.18.44-fc-v669").containsEntry("cyclictest.realtime", "0")
                .containsEntry("cyclictest.machine", "x86_64");

        // "# Total: 000001000 000001000", "# Min Latencies: 00012 00014", "# Avg Latencies: 00027 00025",
        // "# Max Latencies: 00200 00073", no overflows; the last live T: lines say C: 994, which lags
        assertThat(r.threads()).hasSize(2);
        ThreadResult t0 = r.threads().get(0), t1 = r.threads().get(1);
        assertThat(List.of(t0.thread(), t0.cpu(), t1.thread(), t1.cpu())).containsExactly(0, 0, 1, 1);
        assertThat(List.of(t0.count(), t0.minNs(), t0.maxNs(), t0.sumNs(), t0.histogramOverflows()))
                .containsExactly(1000L, 12_000L, 200_000L, 27_000L * 1000, 0L);
        assertThat(List.of(t1.count(), t1.minNs(), t1.maxNs(), t1.sumNs(), t1.histogramOverflows()))
                .containsExactly(1000L, 14_000L, 73_000L, 25_000L * 1000, 0L);
        assertThat(t0.histogram().getTotalCount()).isEqualTo(1000);
        assertThat(t0.histogram().getCountAtValue(200_000)).isEqualTo(1); // the JSON's "200": 1
        assertThat(t0.intervalNs()).isEqualTo(MS);
        assertThat(t0.resolutionNs()).isEqualTo(1000);

        // the playback is instant: one status, when both threads had printed a T: line
        assertThat(listener.seen).hasSize(1);
        assertThat(listener.seen.get(0)).extracting(ThreadStatus::thread).containsExactly(0, 1);
        assertThat(listener.seen.get(0)).extracting(ThreadStatus::intervalNs).containsExactly(MS, MS);
    }

    @Test
    void aStopRequestSendsSigtermAndKeepsWhatCyclictestPrintedThen() {
        int histogramAt = STDOUT.lines().toList().indexOf("# Histogram");
        ReplayRunner runner = new ReplayRunner(STDOUT, "", 0, JSON, histogramAt);
        RunControl control = new RunControl();
        ProbeListener stopOnFirstStatus = new ProbeListener() {
            @Override
            public void status(List<ThreadStatus> threads) {
                control.requestStop(StopReason.INTERRUPTED);
            }
        };
        MeasurementResult r = new CyclictestDriver(runner, "cyclictest").run(LIVE, stopOnFirstStatus, control);
        assertThat(runner.terminations).isEqualTo(1);
        assertThat(r.stopReason()).isEqualTo(StopReason.INTERRUPTED);
        assertThat(r.threads()).extracting(ThreadResult::count).containsExactly(1000L, 1000L);
    }

    @Test
    void aBreakTraceEndsTheRunAndNamesTheThreadAndTheValue() {
        String out = fixture("/org/vmlat/latency/cyclictest-2.4/hist-breaktrace.txt");
        ProbeSpec spec = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 0, 1, List.of(), 0, 0, true, 30_000, false, 10, 0, MS);
        MeasurementResult r = new CyclictestDriver(new ReplayRunner(out, "", 0, "", -1), "cyclictest").run(spec, ProbeListener.NONE, new RunControl());
        // "# Thread Ids: 03603", "# Break thread: 3603", "# Break value: 40", "# Total: 000000497"
        assertThat(r.stopReason()).isEqualTo(StopReason.BREAKTRACE);
        assertThat(r.breaktrace()).isEqualTo(Optional.of(new Breaktrace(30_000, 0, -1, 40_000, -1)));
        assertThat(r.threads().get(0).count()).isEqualTo(497);
        assertThat(r.warnings()).as("the distance WARN is about -d, which vmlat does not pass").isEmpty();
        assertThat(r.settings()).doesNotContainKey("cyclictest_version"); // no JSON
    }

    @Test
    void aRefusedPolicyIsAnRtPrivilegeError() {
        String refused = fixture("/org/vmlat/probe/cyclictest/refused-fifo.stderr");
        ProbeSpec spec = new ProbeSpec(SchedPolicy.FIFO, 95, MS, 0, 1, List.of(), S, 0, true, 0, false, 10, 0, 2 * MS);
        CyclictestDriver d = new CyclictestDriver(new ReplayRunner("", refused, 1, "", -1), "cyclictest");
        assertThatThrownBy(() -> d.run(spec, ProbeListener.NONE, new RunControl())).isInstanceOf(RtPrivilegeException.class)
                .hasMessageStartingWith("SCHED_FIFO priority 95 refused: cyclictest: Unable to change scheduling policy!; Probably missing")
                .hasMessageContaining("CAP_SYS_NICE");
    }

    @Test
    void aMissingCyclictestSaysHowToInstallIt() {
        ReplayRunner runner = new ReplayRunner("", "setsid: failed to execute cyclictest: No such file or directory", 127, "", -1);
        CyclictestDriver d = new CyclictestDriver(runner, "cyclictest");
        assertThatThrownBy(() -> d.run(LIVE, ProbeListener.NONE, new RunControl())).isInstanceOf(ProbeException.class)
                .hasMessage("cannot run cyclictest on the replay: setsid: failed to execute cyclictest: No such file or directory"
                        + " (install rt-tests: apt-get install rt-tests)");
        assertThat(runner.deleted).as("the JSON file is removed on failure too").hasSize(1);
    }

    @Test
    void anotherFailureKeepsCyclictestsWords() {
        ReplayRunner runner = new ReplayRunner("", "cyclictest: invalid option -- 'Z'", 2, "", -1);
        CyclictestDriver d = new CyclictestDriver(runner, "cyclictest");
        assertThatThrownBy(() -> d.run(LIVE, ProbeListener.NONE, new RunControl())).isInstanceOf(ProbeException.class)
                .isNotInstanceOf(RtPrivilegeException.class).hasMessage("cyclictest exited with 2: cyclictest: invalid option -- 'Z'");
    }
}
