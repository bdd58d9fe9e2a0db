package org.vmlat.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.vmlat.sched.Scheduler;
import org.vmlat.sched.Task;
import org.vmlat.sched.TaskSet;

/** One simulated run: the event loop of {@link Simulation} and what it observed. */
final class Engine {
    private final TaskSet set;
    private final Scheduler scheduler;
    private final ServerSupply server;
    private final long durationNs;
    private final LatencySource latency;
    private final Random random;
    /** Fixed window to record, or null: record around the first miss. */
    private final long[] fixedWindow;
    private final int n;
    private final long maxPeriodNs;
    private final long maxDeadlineNs;

    final Histogram[] responses;
    final long[] maxResponse;
    final long[] jobs;
    final long[] misses;
    long maxDrawnNs;

    private final List<ArrayDeque<Job>> queues = new ArrayList<>();
    private final long[] nextRelease;
    private final long[] nextIndex;
    /** The head job of each task already counted as late (its deadline passed unfinished). */
    private final boolean[] headLate;
    private final ArrayDeque<Segment> log = new ArrayDeque<>();
    private final List<Segment> opening = new ArrayList<>();
    private SimulationResult.Miss firstMiss;

    Engine(Simulation.Setup setup, LatencySource latency, Random random, long[] fixedWindow) {
        this.set = setup.set();
        this.scheduler = setup.scheduler();
        this.server = setup.server().orElse(null);
        this.durationNs = setup.durationNs();
        this.latency = latency;
        this.random = random;
        this.fixedWindow = fixedWindow;
        this.n = set.size();
        long mp = 0, md = 0;
        for (Task t : set.tasks()) {
            mp = Math.max(mp, t.periodNs());
            md = Math.max(md, t.deadlineNs());
        }
        maxPeriodNs = mp;
        maxDeadlineNs = md;
        responses = new Histogram[n];
        for (int i = 0; i < n; i++) responses[i] = new Histogram(3);
        maxResponse = new long[n];
        jobs = new long[n];
        misses = new long[n];
        nextRelease = new long[n];
        nextIndex = new long[n];
        headLate = new boolean[n];
        for (int i = 0; i < n; i++) queues.add(new ArrayDeque<>());
    }

    void run() {
        long t = 0, budget = server == null ? Long.MAX_VALUE : 0, nextReplenish = 0;
        while (t < durationNs) {
            if (server != null && t >= nextReplenish) {
                budget = server.budgetNs();
                nextReplenish += server.periodNs();
            }
            release(t);
            markLate(t);
            Job run = budget > 0 ? pick(t) : null;
            long next = durationNs;
            for (int i = 0; i < n; i++) {
                next = Math.min(next, nextRelease[i]);
                Job head = queues.get(i).peekFirst();
                if (head == null) continue;
                if (head.readyNs > t) next = Math.min(next, head.readyNs);
                if (!headLate[i] && head.deadlineNs > t) next = Math.min(next, head.deadlineNs);
            }
            if (server != null) next = Math.min(next, nextReplenish);
            if (run == null) {
                t = next;
                continue;
            }
            long end = Math.min(next, Math.min(t + run.remainingNs, server == null ? Long.MAX_VALUE : t + budget));
            run.remainingNs -= end - t;
            if (server != null) budget -= end - t;
            record(new Segment(set.get(run.task).name(), run.index, t, end));
            if (run.remainingNs == 0) complete(run, end);
            t = end;
        }
        for (int i = 0; i < n; i++) { // unfinished jobs whose deadline fell within the simulated time
            for (Job j : queues.get(i)) {
                if (j.deadlineNs <= durationNs && !(j == queues.get(i).peekFirst() && headLate[i])) {
                    jobs[i]++;
                    misses[i]++;
                    noteMiss(j);
                }
            }
        }
    }

    private void release(long t) {
        for (int i = 0; i < n; i++) {
            Task task = set.get(i);
            while (nextRelease[i] <= t && nextRelease[i] < durationNs) {
                long l = latency.nextNs(random);
                maxDrawnNs = Math.max(maxDrawnNs, l);
                long nominal = nextRelease[i];
                queues.get(i).addLast(new Job(i, nextIndex[i]++, nominal, nominal + l, nominal + task.deadlineNs(), task.wcetNs()));
                nextRelease[i] = nominal + task.periodNs();
            }
            if (nextRelease[i] >= durationNs) nextRelease[i] = Long.MAX_VALUE;
        }
    }

    /** A head job whose deadline has passed unfinished is a miss now, whenever it completes. */
    private void markLate(long t) {
        for (int i = 0; i < n; i++) {
            Job head = queues.get(i).peekFirst();
            if (head != null && !headLate[i] && head.deadlineNs <= t && head.remainingNs > 0) {
                headLate[i] = true;
                jobs[i]++;
                misses[i]++;
                noteMiss(head);
            }
        }
    }

    private Job pick(long t) {
        Job best = null;
        for (int i = 0; i < n; i++) {
            Job head = queues.get(i).peekFirst();
            if (head == null || head.readyNs > t) continue;
            if (best == null) best = head;
            else if (scheduler == Scheduler.EDF && head.deadlineNs < best.deadlineNs) best = head;
            if (scheduler == Scheduler.FP) break; // the set is in priority order: the first ready head wins
        }
        return best;
    }

    private void complete(Job j, long end) {
        queues.get(j.task).removeFirst();
        long r = end - j.nominalNs;
        responses[j.task].recordValue(r);
        maxResponse[j.task] = Math.max(maxResponse[j.task], r);
        if (!headLate[j.task]) { // a late job was counted when its deadline passed
            jobs[j.task]++;
            if (end > j.deadlineNs) {
                misses[j.task]++;
                noteMiss(j);
            }
        }
        headLate[j.task] = false;
    }

    private void noteMiss(Job j) {
        if (firstMiss == null || j.deadlineNs < firstMiss.deadlineNs()) {
            firstMiss = new SimulationResult.Miss(set.get(j.task).name(), j.index, j.nominalNs, j.deadlineNs);
        }
    }

    private long openingEnd() {
        return Math.min(durationNs, 2 * maxPeriodNs + maxDeadlineNs);
    }

    private void record(Segment s) {
        if (fixedWindow != null && s.startNs() >= fixedWindow[1]) return;
        if (firstMiss != null && s.startNs() >= window()[1]) return;
        Segment last = log.peekLast();
        if (last != null && last.task().equals(s.task()) && last.job() == s.job() && last.endNs() == s.startNs()) {
            log.removeLast();
            s = new Segment(s.task(), s.job(), last.startNs(), s.endNs());
        }
        log.addLast(s);
        if (s.startNs() < openingEnd()) {
            if (!opening.isEmpty() && opening.get(opening.size() - 1).task().equals(s.task())
                    && opening.get(opening.size() - 1).job() == s.job() && opening.get(opening.size() - 1).startNs() == s.startNs()) {
                opening.remove(opening.size() - 1);
            }
            opening.add(s);
        }
        if (fixedWindow != null) {
            while (!log.isEmpty() && log.peekFirst().endNs() <= fixedWindow[0]) log.removeFirst();
            return;
        }
        // keep what a window around a miss that has not happened yet could still need
        long keepFrom = firstMiss == null ? s.endNs() - (2 * maxPeriodNs + maxDeadlineNs) : firstMiss.releaseNs() - maxPeriodNs;
        while (!log.isEmpty() && log.peekFirst().endNs() <= keepFrom) log.removeFirst();
    }

    Optional<SimulationResult.Miss> firstMiss() {
        return Optional.ofNullable(firstMiss);
    }

    /** The window to show: around the first miss, else the opening. */
    long[] window() {
        if (firstMiss == null) return new long[] {0, openingEnd()};
        return new long[] {Math.max(0, firstMiss.releaseNs() - maxPeriodNs), Math.min(durationNs, firstMiss.deadlineNs() + maxPeriodNs)};
    }

    /** The recorded segments clipped to the window. */
    List<Segment> segments(long[] window) {
        List<Segment> out = new ArrayList<>();
        Iterable<Segment> source = fixedWindow == null && firstMiss == null ? opening : log;
        for (Segment s : source) {
            long a = Math.max(s.startNs(), window[0]), b = Math.min(s.endNs(), window[1]);
            if (a < b) out.add(new Segment(s.task(), s.job(), a, b));
        }
        return out;
    }
}
