package org.vmlat.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.vmlat.os.CpuClaims;
import org.vmlat.store.LeaseLostException;
import org.vmlat.store.ResultStore;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioStatus;
import org.vmlat.store.StoreException;
import org.vmlat.store.WorkQueue;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;

/**
 * A lab worker: claims the scenarios of queued runs that it can serve from the store's
 * {@link WorkQueue}, one at a time, measures each as the single-machine lab does and commits it.
 *
 * <p>What it can serve: the targets of a run's plan that {@code --targets} names (all when none)
 * and whose check passes here (the tools they need are present, their machines reachable); the
 * others are left to workers elsewhere. While it measures, a heartbeat renews the scenario's lease
 * every {@link #HEARTBEAT_MS}; a worker killed outright stops renewing and the scenario can be
 * claimed again at most {@link #LEASE_MS} after its last renewal. Every write it makes to a
 * scenario checks the lease is still its own, so a worker that lost its lease (cut off from the
 * database for longer than the lease) cannot overwrite the results of the worker that took over.
 */
public final class LabWorker {
    /** How long a claim lasts without renewal; the system property vmlat.leaseMs shortens it for tests. */
    public static final long LEASE_MS = Long.getLong("vmlat.leaseMs", 30_000);
    /** How often a measuring worker renews its lease: six renewals fit in a lease. */
    public static final long HEARTBEAT_MS = Math.max(100, LEASE_MS / 6);
    /** How long an idle worker waits before looking for work again. */
    public static final long IDLE_POLL_MS = Long.getLong("vmlat.workerPollMs", 1000);

    /**
     * What a worker takes on.
     *
     * @param targets   the target names it serves (empty: every target it can check here)
     * @param max       scenarios to measure before stopping (0: no limit)
     * @param untilIdle stop once no queued run (or the run {@code onlyRun}) has work left
     * @param onlyRun   serve this run only, or null for every queued run
     */
    public record Options(List<String> targets, int max, boolean untilIdle, Long onlyRun) {
        public Options {
            if (max < 0) throw new IllegalArgumentException("max: must be 0 (no limit) or more, got " + max);
            targets = List.copyOf(targets);
        }
    }

    /** How a worker ended: what it measured. */
    public record Outcome(int ran, int done, int failed, boolean interrupted) {}

    private final ResultStore store;
    private final WorkQueue queue;
    private final Function<Plan, TargetContext> contexts;
    private final LabRunner.Probes probes;
    private final LabProgress progress;
    private final CpuClaims cpuClaims;
    private final List<Integer> onlineCpus;
    private final String owner;
    private final String machineGroup;
    private final AtomicBoolean stop = new AtomicBoolean();
    private volatile LabRunner current;

    /**
     * @param contexts     a target context per run (its resources are closed with the run's targets)
     * @param owner        this worker's name in leases and in {@code lab status}: unique among workers
     * @param machineGroup the host group of this machine (targets that measure where the worker runs)
     */
    public LabWorker(ResultStore store, Function<Plan, TargetContext> contexts, LabRunner.Probes probes, LabProgress progress, CpuClaims cpuClaims,
                     List<Integer> onlineCpus, String owner, String machineGroup) {
        this.store = store;
        this.queue = new WorkQueue(store);
        this.contexts = contexts;
        this.probes = probes;
        this.progress = progress;
        this.cpuClaims = cpuClaims;
        this.onlineCpus = List.copyOf(onlineCpus);
        this.owner = owner;
        this.machineGroup = machineGroup;
        store.writeAsLeaseOwner(owner);
    }

    /** Stops the worker: the current scenario ends now and is kept as partial (claimable again); no other is claimed. */
    public void interrupt() {
        stop.set(true);
        LabRunner r = current;
        if (r != null) r.interrupt();
    }

    /** One queued run as this worker serves it: its plan, scenarios, targets and the names it can serve. */
    private record RunWork(Plan plan, Map<Integer, Scenario> scenarios, RunTargets targets, Set<String> servable) {}

    public Outcome run(Options options) {
        Map<Long, RunWork> runs = new LinkedHashMap<>();
        int ran = 0, done = 0, failed = 0;
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vmlat-lease-heartbeat");
            t.setDaemon(true);
            return t;
        });
        try {
            while (!stop.get() && (options.max() == 0 || ran < options.max())) {
                List<Long> open = options.onlyRun() != null ? List.of(options.onlyRun()) : queue.openRuns();
                Optional<WorkQueue.Claim> claim = Optional.empty();
                RunWork work = null;
                for (long runId : open) {
                    work = runs.computeIfAbsent(runId, id -> prepare(id, options));
                    claim = queue.claim(runId, owner, work.servable(), machineGroup, LEASE_MS);
                    if (claim.isPresent()) break;
                }
                if (claim.isEmpty()) {
                    if (options.untilIdle() && open.stream().allMatch(this::finished)) break;
                    sleep(IDLE_POLL_MS);
                    continue;
                }
                ran++;
                ScenarioStatus st = measure(work, claim.get(), heartbeat);
                if (st == ScenarioStatus.DONE) done++;
                else if (st == ScenarioStatus.FAILED) failed++;
                // only the last scenario's worker ends the run: the others do not queue on the run's row
                if (queue.unfinished(claim.get().runId()) == 0) queue.endIfFinished(claim.get().runId());
            }
        } finally {
            heartbeat.shutdownNow();
            for (RunWork w : runs.values()) w.targets().close();
        }
        return new Outcome(ran, done, failed, stop.get());
    }

    /** Whether a run has nothing left to measure; ends it when so (its last worker may have died before). */
    private boolean finished(long runId) {
        return queue.unfinished(runId) == 0 && queue.endIfFinished(runId);
    }

    private RunWork prepare(long runId, Options options) {
        RunRecord run = store.run(runId);
        Plan plan = PlanFile.parse(run.planFile(), run.planText(), onlineCpus);
        Map<Integer, Scenario> scenarios = new LinkedHashMap<>();
        Map<String, List<Plan.TargetSpec>> specs = new LinkedHashMap<>();
        for (Scenario s : Matrix.expand(plan)) {
            scenarios.put(s.index(), s);
            List<Plan.TargetSpec> shapes = specs.computeIfAbsent(s.target().name(), n -> new ArrayList<>());
            if (!shapes.contains(s.target())) shapes.add(s.target());
        }
        RunTargets targets = new RunTargets(contexts.apply(plan));
        Set<String> servable = new LinkedHashSet<>();
        specs.forEach((name, shapes) -> {
            if (!options.targets().isEmpty() && !options.targets().contains(name)) return;
            try {
                for (Plan.TargetSpec spec : shapes) targets.forSpec(spec).check();
                servable.add(name);
            } catch (RuntimeException e) {
                progress.warning("run " + runId + ": target \"" + name + "\" cannot be served here, left to other workers: " + e.getMessage());
            }
        });
        return new RunWork(plan, scenarios, targets, servable);
    }

    private ScenarioStatus measure(RunWork work, WorkQueue.Claim claim, ScheduledExecutorService heartbeat) {
        Scenario s = work.scenarios().get(claim.index());
        LabRunner runner = new LabRunner(store, null, probes, progress, cpuClaims, onlineCpus);
        current = runner;
        if (stop.get()) runner.interrupt();
        AtomicBoolean ended = new AtomicBoolean();
        var beat = heartbeat.scheduleAtFixedRate(() -> {
            if (ended.get()) return;
            try {
                if (!queue.renew(claim.scenarioId(), owner, LEASE_MS) && !ended.get()) {
                    progress.warning("scenario " + (s.index() + 1) + " of run " + claim.runId() + ": lease lost; stopping it");
                    runner.interrupt();
                }
            } catch (RuntimeException e) {
                progress.warning("cannot renew the lease of scenario " + (s.index() + 1) + ": " + e.getMessage());
            }
        }, HEARTBEAT_MS, HEARTBEAT_MS, TimeUnit.MILLISECONDS);
        try {
            Target target = work.targets().forSpec(s.target());
            ScenarioStatus st = runner.runOne(work.plan(), claim.runId(), target, s);
            ended.set(true);
            return st;
        } catch (LeaseLostException e) {
            progress.warning(e.getMessage());
            return ScenarioStatus.PARTIAL;
        } finally {
            ended.set(true);
            beat.cancel(false);
            current = null;
            try {
                queue.release(claim.scenarioId(), owner);
            } catch (StoreException e) {
                progress.warning("cannot release scenario " + (s.index() + 1) + " (its lease will expire): " + e.getMessage());
            }
        }
    }

    private void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }
}
