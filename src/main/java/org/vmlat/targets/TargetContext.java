package org.vmlat.targets;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.vmlat.load.LoadLauncher;

/**
 * What a kind gets to create its targets for a run.
 *
 * @param loads     starts host loads (in their own process groups, with pid files)
 * @param warnings  messages the user must see (emulation, failures to restore)
 * @param info      progress messages (image builds, connections)
 * @param stateDir  the folder of the pid files of loads and guests (the leftover reaper's); kept
 *                  guest consoles go beside it
 * @param cacheDir  where guest images are cached
 * @param resources what the run's targets share and the run closes at its end
 * @param planTargets every target the plan defines, by name, with the settings its kind read:
 *                  for a target whose loads run on another one ({@code load_on})
 */
public record TargetContext(LoadLauncher loads, Consumer<String> warnings, Consumer<String> info, Path stateDir, Path cacheDir,
                            RunResources resources, Map<String, TargetSettings> planTargets) {
    public TargetContext {
        if (loads == null || warnings == null || info == null || stateDir == null || cacheDir == null || resources == null || planTargets == null) {
            throw new IllegalArgumentException("a target context needs loads, warnings, info, stateDir, cacheDir, resources and planTargets");
        }
        planTargets = Map.copyOf(planTargets);
    }

    /** A context without the plan's other targets (no target of the run places loads on another). */
    public TargetContext(LoadLauncher loads, Consumer<String> warnings, Consumer<String> info, Path stateDir, Path cacheDir, RunResources resources) {
        this(loads, warnings, info, stateDir, cacheDir, resources, Map.of());
    }
}
