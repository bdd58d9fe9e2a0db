package org.vmlat.os.check;

import java.util.List;

/**
 * What the doctor's checks judge against: the CPUs the probe will measure on and the real-time
 * priority it will run at (cyclictest's -a and -p).
 */
public record CheckScope(List<Integer> measuringCpus, int probePriority) {
    public CheckScope {
        measuringCpus = List.copyOf(measuringCpus);
        if (probePriority < 1 || probePriority > 99) {
            throw new IllegalArgumentException("probe priority: expected 1..99, got " + probePriority);
        }
    }
}
