package org.vmlat.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.StopReason;
import org.vmlat.load.LoadLauncher;
import org.vmlat.load.LoadSpec;
import org.vmlat.os.SchedPolicy;
import org.vmlat.probe.Probe;
import org.vmlat.probe.RtPrivilegeException;
import org.vmlat.probe.ProbeException;
import org.vmlat.probe.ProbeListener;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.probe.RunControl;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.RunStatus;
import org.vmlat.store.ResultStore;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.targets.RunResources;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.TargetTable;

/**
 * The runner drives every target through check, prepare, measure and close, with a kind the
 * registry does not know: nothing in the lab depends on which kinds exist.
 */
class TargetLifecycleTest {
    record Settings(String failIn) implements TargetSettings {}

    /** A kind whose targets write what happens to them into one log. */
    static final class Recording implements TargetKind<Settings> {
        final List<String> log = new ArrayList<>();

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Set<String> keys() {
            return Set.of();
        }

        @Override
        public Class<Settings> settingsType() {
            return Settings.class;
        }

        @Override
        public Settings read(TargetTable table) {
            return new Settings("");
        }

        @Override
        public boolean guest() {
            return true;
        }

        @Override
        public Set<String> engines() {
            return Set.of("builtin");
        }

        @Override
        public Target create(String name, Settings settings, TargetContext context) {
            log.add("create " + name);
            context.resources().shared("link", AutoCloseable.class, () -> () -> log.add("close link"));
            return new Target() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public List<String> loadCommand(LoadSpec load) {
                    return List.of();
                }

                @Override
                public String probeCommand(Probe probe, ProbeSpec spec) {
                    return "recorded";
                }

                @Override
                public void check() {
                    log.add("check " + name);
                    if (settings.failIn().equals("check")) throw new ProbeException("unreachable");
                }

                @Override
                public void prepare() {
                    log.add("prepare " + name);
                }

                @Override
                public Measured measure(Probe probe, ProbeSpec spec, LoadSpec load, ProbeListener listener, RunControl control) {
                    log.add("measure " + name);
                    if (settings.failIn().equals("measure")) throw new ProbeException("guest crashed");
                    if (settings.failIn().equals("rt")) throw new RtPrivilegeException(RtPrivilegeException.explain("SCHED_FIFO priority 95", "Operation not permitted"));
                    MeasurementResult r = new MeasurementResult("builtin", Map.of(), Map.of("ssh.kernel", "6.1.0-rt", "guest.release", "6.1"), true,
                            List.of(), 0, 1, 0, StopReason.COMPLETED, Optional.empty(), List.of());
                    return new Measured(r, Map.of("ssh.kernel", "6.1.0-rt", "hypervisor", "kvm"), null);
                }

                @Override
                public void close() {
                    log.add("close " + name);
                }
            };
        }
    }

    static Plan plan(Recording kind, Map<String, String> targets) {
        Map<String, Plan.TargetSpec> specs = new LinkedHashMap<>();
        targets.forEach((name, failIn) -> specs.put(name, new Plan.TargetSpec(name, kind, new Settings(failIn))));
        Map<String, List<String>> dims = new LinkedHashMap<>();
        dims.put("target", List.copyOf(targets.keySet()));
        dims.put("probe", List.of("builtin"));
        dims.put("interval", List.of("1ms"));
        dims.put("load", List.of("none"));
        dims.put("priority", List.of("95"));
        return new Plan("lifecycle", "plan.toml", "", 1_000_000_000L, 0, 1, 60_000_000_000L, dims, specs, Map.of("none", LoadSpec.NONE),
                1, List.of(), SchedPolicy.FIFO, 10_000_000, List.of());
    }

    static LabRunner runner(ResultStore store, Path dir, List<String> warnings) {
        LoadLauncher loads = new LoadLauncher(dir.resolve("state"), List.of("java"), Map.of(), 1, dir.toString());
        TargetContext context = new TargetContext(loads, warnings::add, m -> { }, dir.resolve("state"), dir.resolve("cache"),
                new RunResources(warnings::add));
        return new LabRunner(store, context, engine -> null, new LabProgress() { });
    }

    @Test
    void everyTargetIsCheckedFirstThenPreparedMeasuredAndClosedWithTheRunsResources(@TempDir Path dir) {
        Recording kind = new Recording();
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("a", "");
        targets.put("b", "measure");
        List<String> warnings = new ArrayList<>();
        try (ResultStore store = ResultStore.openSqlite(dir.resolve("r.db"))) {
            long run = store.createRun("lifecycle", "plan.toml", "", Map.of(), Map.of());
            LabRunner.Outcome o = runner(store, dir, warnings).run(plan(kind, targets), run, false);
            assertThat(o.done()).isEqualTo(1);
            assertThat(o.failed()).isEqualTo(1);
            assertThat(kind.log).containsExactly("create a", "check a", "create b", "check b", "prepare a", "measure a", "prepare b", "measure b",
                    "close a", "close b", "close link");
            List<ScenarioRecord> s = store.scenarios(run);
            // what the target reports is kept whatever its keys; what only the result carries is the target's to choose
            assertThat(s.get(0).settings()).containsEntry("ssh.kernel", "6.1.0-rt").containsEntry("hypervisor", "kvm")
                    .doesNotContainKey("guest.release");
            assertThat(s.get(1).status()).isEqualTo(ScenarioStatus.FAILED);
            assertThat(s.get(1).reason()).isEqualTo("guest crashed");
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aTargetThatFailsItsCheckStopsTheRunBeforeAnythingRunsAndIsStillClosed(@TempDir Path dir) {
        Recording kind = new Recording();
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("a", "");
        targets.put("b", "check");
        try (ResultStore store = ResultStore.openSqlite(dir.resolve("r.db"))) {
            long run = store.createRun("lifecycle", "plan.toml", "", Map.of(), Map.of());
            assertThatThrownBy(() -> runner(store, dir, new ArrayList<>()).run(plan(kind, targets), run, false))
                    .hasMessage("target \"b\": unreachable");
            assertThat(kind.log).containsExactly("create a", "check a", "create b", "check b", "close a", "close b", "close link");
            assertThat(store.run(run).status()).isEqualTo(RunStatus.FAILED);
        }
    }

    @Test
    void aRunRefusedRealTimePrioritiesEndsFailedAndAdvisesNoOptionLabRunLacks(@TempDir Path dir) {
        Recording kind = new Recording();
        try (ResultStore store = ResultStore.openSqlite(dir.resolve("r.db"))) {
            long run = store.createRun("lifecycle", "plan.toml", "", Map.of(), Map.of());
            assertThatThrownBy(() -> runner(store, dir, new ArrayList<>()).run(plan(kind, Map.of("a", "rt")), run, false))
                    .isInstanceOf(RtPrivilegeException.class)
                    .hasMessageContaining("SCHED_FIFO priority 95 refused").hasMessageContaining("Run " + run + " is marked failed")
                    .hasMessageNotContaining("--allow-nonrt measures anyway");
            assertThat(store.run(run).status()).as("not left running").isEqualTo(RunStatus.FAILED);
            assertThat(store.scenarios(run).get(0).status()).isEqualTo(ScenarioStatus.FAILED);
            assertThat(kind.log).contains("close a");
        }
    }
}
