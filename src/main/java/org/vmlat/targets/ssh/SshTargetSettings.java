package org.vmlat.targets.ssh;

import org.vmlat.targets.TargetSettings;

/**
 * A machine measured over SSH: a host, or a guest that already runs.
 *
 * @param ssh        how to reach it (keys only, host keys checked)
 * @param cyclictest cyclictest's path or name there
 * @param loadOn     the plan target whose machine runs this target's host-placed loads (a guest's
 *                   host, or this machine through a local target); "" = this target's own machine
 */
public record SshTargetSettings(SshSettings ssh, String cyclictest, String loadOn) implements TargetSettings {
    public SshTargetSettings {
        if (ssh == null) throw new IllegalArgumentException("ssh settings must not be null");
        if (cyclictest == null || cyclictest.isBlank()) throw new IllegalArgumentException("cyclictest must name the program, got \"" + cyclictest + "\"");
        if (loadOn == null) throw new IllegalArgumentException("loadOn must not be null (\"\" = the target's own machine)");
    }
}
