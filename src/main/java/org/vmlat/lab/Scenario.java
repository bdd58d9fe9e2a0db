package org.vmlat.lab;

import java.util.Map;
import org.vmlat.load.LoadSpec;

/**
 * One cell of the matrix: a complete, immutable description of one measurement.
 *
 * @param dims every dimension's value as shown in reports (durations normalised, e.g. "200us")
 */
public record Scenario(int index, Map<String, String> dims, Plan.TargetSpec target, String probe, long intervalNs,
                       LoadSpec load, int priority, int repetition) {}
