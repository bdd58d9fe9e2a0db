package org.vmlat.targets;

import java.util.List;
import java.util.Map;

/**
 * A target's settings as its kind read them from the plan: one immutable record per kind.
 * Matrix dimensions (kernel, mode, ...) shape them per scenario.
 */
public interface TargetSettings {
    /**
     * These settings with one scenario's values of the dimensions the kind understands (only
     * those the plan's matrix has are given).
     */
    default TargetSettings forScenario(Map<String, String> dimensions) {
        return this;
    }

    /**
     * Why a matrix dimension's values cannot shape these settings (e.g. a Xen scheduler without
     * pinned CPUs), or null; the plan reader reports it at the dimension's line.
     */
    default String matrixProblem(String dimension, List<String> values) {
        return null;
    }
}
