package org.vmlat.targets;

import java.nio.file.Path;
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
 */
public record TargetContext(LoadLauncher loads, Consumer<String> warnings, Consumer<String> info, Path stateDir, Path cacheDir,
                            RunResources resources) {
    public TargetContext {
        if (loads == null || warnings == null || info == null || stateDir == null || cacheDir == null || resources == null) {
            throw new IllegalArgumentException("a target context needs loads, warnings, info, stateDir, cacheDir and resources");
        }
    }
}
