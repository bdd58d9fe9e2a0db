package org.vmlat.lab;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.vmlat.load.LeftoverReaper;
import org.vmlat.load.LoadLauncher;
import org.vmlat.targets.RunResources;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetSettings;
import org.vmlat.targets.TargetUnavailableException;
import org.vmlat.targets.image.GuestImageBuilder;

/**
 * {@code vmlat doctor --target NAME PLAN}: reaches one target of a plan as a run would (created by
 * its kind, checked) and reads the facts and live capabilities of the machine it measures on,
 * for doctor's checks. Nothing is measured and no load is started.
 */
public final class TargetInspection {
    private TargetInspection() {}

    /**
     * @throws IllegalArgumentException    when the plan has no such target, or its machine is this
     *                                     one or a guest vmlat boots (plain {@code vmlat doctor})
     * @throws TargetUnavailableException when the target cannot be reached or used
     */
    public static Target.Inspection inspect(Path planFile, String target, List<Integer> onlineCpus, Consumer<String> info, Consumer<String> warnings) {
        Plan plan = LabService.readPlan(planFile, onlineCpus);
        Plan.TargetSpec spec = plan.targets().get(target);
        if (spec == null) {
            throw new IllegalArgumentException("plan " + planFile + " has no target \"" + target + "\" (defined: " + String.join(", ", plan.targets().keySet()) + ")");
        }
        Map<String, TargetSettings> planTargets = new LinkedHashMap<>();
        plan.targets().forEach((name, s) -> planTargets.put(name, s.settings()));
        Path stateDir = LeftoverReaper.defaultStateDir();
        LoadLauncher loads = new LoadLauncher(stateDir, List.of(), Map.of(), Math.max(1, onlineCpus.size()), System.getProperty("java.io.tmpdir"));
        TargetContext context = new TargetContext(loads, warnings, info, stateDir, GuestImageBuilder.defaultCacheDir(), new RunResources(warnings), planTargets);
        try (RunTargets targets = new RunTargets(context)) {
            targets.checkAll(List.of(spec));
            return targets.forSpec(spec).inspect().orElseThrow(() -> new IllegalArgumentException("target \"" + target + "\" is a " + spec.kind().name()
                    + " target: its machine is this one or a guest vmlat boots; run vmlat doctor without --target"));
        }
    }
}
