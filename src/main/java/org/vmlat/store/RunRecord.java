package org.vmlat.store;

import java.util.Map;

/** One stored lab run: the plan it ran and the system it ran on. */
public record RunRecord(long id, String name, String planFile, String planText, RunStatus status, long startedMs,
                        long endedMs, Map<String, String> system, Map<String, String> tools, int scenarios,
                        int done, int failed) {}
