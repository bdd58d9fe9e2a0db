package org.vmlat.lab;

import org.vmlat.store.ScenarioStatus;

/** What a running lab tells the outside; the CLI prints it. All methods default to nothing. */
public interface LabProgress {
    default void runStarted(long runId, int scenarios, int toRun) {}

    default void scenarioStarted(Scenario s, int position, int toRun, long runElapsedMs, long runRemainingMs) {}

    /** About once a second while measuring; worstNs is the largest latency so far in this scenario. */
    default void scenarioStatus(Scenario s, int position, int toRun, long elapsedMs, long remainingMs, long runRemainingMs, long worstNs) {}

    default void scenarioFinished(Scenario s, int position, int toRun, ScenarioStatus status, String reason, long maxNs) {}

    default void warning(String message) {}
}
