package org.vmlat.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vmlat.explain.ClockAlignment;
import org.vmlat.explain.CrossBoundary;
import org.vmlat.explain.CrossBoundaryJson;
import org.vmlat.explain.ExplanationJson;
import org.vmlat.explain.HostSideAnalyzer;
import org.vmlat.explain.SpikeExplanation;
import org.vmlat.explain.TraceEvent;
import org.vmlat.explain.TraceLineParser;
import org.vmlat.explain.trace.HostThreadTrace;
import org.vmlat.explain.trace.RecordedTraceExplainer;
import org.vmlat.explain.trace.SpikeExplainer;
import org.vmlat.explain.trace.TraceRecorder;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.probe.ProbeSpec;
import org.vmlat.targets.KernelTrace;

/**
 * The explanations of a scenario whose target traced its own kernel (a guest) and brought the trace back: the
 * windows are cut from it as the live recorder cuts them, explained, kept as text traces in {@code dir}, and stored
 * with the scenario's settings like a local scenario's, with the size of the trace that came back.
 */
final class TracedTargetExplanations {
    /** The compressed size of the trace a target brought back, in bytes: the cost of tracing in a guest. */
    static final String TRACE_BYTES = "explain.trace_bytes";
    /** Events lost in the target's trace ring because it was full. */
    static final String TRACE_OVERRUNS = "explain.trace_overruns";
    /** What the guest's /init writes into its trace when a clock round trip's number arrives. */
    private static final String SYNC_MARK = "tracing_mark_write: vmlat-sync ";

    /** Explains the guest spikes' host side and keeps it, when the guest's clock can be aligned with this machine's. */
    private static void hostSide(KernelTrace trace, HostThreadTrace.Recording host, Map<Long, Long> marks, List<SpikeExplanation> spikes,
                                 Map<String, String> settings, List<String> notes) {
        List<ClockAlignment.Sample> samples = new ArrayList<>();
        for (KernelTrace.RoundTrip t : trace.roundTrips()) {
            Long guest = marks.get(t.seq());
            if (guest != null) samples.add(new ClockAlignment.Sample(t.hostSendNs(), t.hostRecvNs(), guest));
        }
        if (samples.isEmpty() || trace.hostThreads().isEmpty()) {
            notes.add("explain: " + trace.where() + ": the host side is not explained: " + (samples.isEmpty()
                    ? trace.roundTrips().size() + " clock round trips, none marked in the guest's trace" : "QEMU's threads were not found"));
            return;
        }
        ClockAlignment a = ClockAlignment.of(samples);
        // this guest's threads only: the kernel's filter also let other guests' QEMU threads through
        Set<Long> ours = new HashSet<>();
        for (int tid : trace.hostThreads().keySet()) ours.add((long) tid);
        List<TraceEvent> events = new ArrayList<>();
        for (TraceEvent e : host.events()) {
            // a KVM event names its vCPU thread in its header only
            boolean of = e.name().startsWith("kvm_") ? ours.contains((long) e.pid())
                    : ours.contains(e.number("prev_pid")) || ours.contains(e.number("next_pid")) || ours.contains(e.number("pid"));
            if (of) events.add(e);
        }
        HostSideAnalyzer.Timeline timeline = HostSideAnalyzer.timeline(events, trace.hostThreads());
        List<CrossBoundary> out = new ArrayList<>();
        for (SpikeExplanation e : spikes) {
            // the whole spike, not its L¹ only: a vCPU stopped after the guest's timer interrupt delays the switch-in as much
            long from = a.toHostNs(e.expiresNs()), to = a.toHostNs(e.expiresNs() + e.latencyNs());
            out.add(new CrossBoundary(e.tid(), e.expiresNs(), from, to, timeline.causesIn(from, to), timeline.exitsIn(from, to)));
        }
        settings.put(SettingsKeys.EXPLAIN_HOST, CrossBoundaryJson.write(a, out));
        if (host.lost() > 0) notes.add("explain: " + host.lost() + " of the host's events about QEMU's threads were lost");
    }

    private TracedTargetExplanations() {}

    /** The events of a trace recorded on the guest's host, in time order, as this machine's own recording has them. */
    static HostThreadTrace.Recording recording(KernelTrace.HostTrace host) throws IOException {
        List<TraceEvent> events = new ArrayList<>();
        host.lines(line -> TraceLineParser.parse(line).ifPresent(events::add));
        events.sort((a, b) -> Long.compare(a.tsNs(), b.tsNs()));
        return new HostThreadTrace.Recording(events, host.overruns());
    }

    /**
     * @param host this machine's scheduler events about the guest's QEMU threads during the measurement, or null
     */
    static void keep(KernelTrace trace, HostThreadTrace.Recording host, ProbeSpec spec, long thresholdNs, Path dir, Map<String, String> settings,
                     List<String> notes) {
        TraceRecorder.Settings cutting = RecordedTraceExplainer.settings(thresholdNs);
        int prio = spec.policy().realtime() ? 99 - spec.priority() : -1;
        Map<Long, Long> marks = new HashMap<>();
        try {
            RecordedTraceExplainer.LateWakeups late = new RecordedTraceExplainer.LateWakeups(prio, thresholdNs);
            trace.lines(late::accept);
            if (late.count() > cutting.maxWindows()) {
                notes.add("explain: " + trace.where() + ": " + late.count() + " late wake-ups, the worst " + cutting.maxWindows() + " explained");
            }
            TraceRecorder.Offline cutter = new TraceRecorder.Offline(cutting, late.worst(cutting.maxWindows()));
            boolean whole = trace.lines(line -> {
                cutter.accept(line);
                int at = line.indexOf(SYNC_MARK);
                if (at > 0) {
                    TraceLineParser.parse(line).ifPresent(e -> marks.put(Long.parseLong(line.substring(at + SYNC_MARK.length()).trim()), e.tsNs()));
                }
            });
            if (!whole) notes.add("explain: " + trace.where() + "'s trace was cut at its size limit: later wake-ups have no window");
            SpikeExplainer.Outcome o = RecordedTraceExplainer.explain(cutter.finish(trace.overruns()), prio, thresholdNs, dir);
            settings.put(SettingsKeys.TRACE_THRESHOLD_NS, Long.toString(thresholdNs));
            settings.put(SettingsKeys.EXPLAIN, ExplanationJson.write(o.explained()));
            settings.put(TRACE_BYTES, Integer.toString(trace.gzipText().length));
            settings.put(TRACE_OVERRUNS, Long.toString(trace.overruns()));
            for (String p : o.problems()) notes.add("explain: " + trace.where() + ": " + p);
            // a guest on another machine brings its host's trace along: this machine's own is not its host side
            HostThreadTrace.Recording hostEvents = trace.hostTrace() != null ? recording(trace.hostTrace()) : host;
            if (hostEvents != null) hostSide(trace, hostEvents, marks, o.explained(), settings, notes);
        } catch (IOException e) {
            notes.add("explain: " + trace.where() + "'s trace could not be read or kept: " + e.getMessage());
        }
    }
}
