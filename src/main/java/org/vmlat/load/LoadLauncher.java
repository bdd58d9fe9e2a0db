package org.vmlat.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Starts loads: resolves presets to command lines for the tools this machine has and records
 * each running load in the state directory so that a later vmlat can end it if this one dies.
 */
public final class LoadLauncher {
    private final Path stateDir;
    private final List<String> builtinPrefix;
    private final Map<String, String> tools;
    private final int cpus;
    private final String tmpDir;

    /**
     * @param builtinPrefix the command that runs vmlat's built-in loads ({@code java ... Vmlat _load})
     * @param tools         tool name -> path, for the tools found (stress-ng, hackbench)
     */
    public LoadLauncher(Path stateDir, List<String> builtinPrefix, Map<String, String> tools, int cpus, String tmpDir) {
        this.stateDir = stateDir;
        this.builtinPrefix = List.copyOf(builtinPrefix);
        this.tools = Map.copyOf(tools);
        this.cpus = cpus;
        this.tmpDir = tmpDir;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The command a load will run, and whether a preset fell back to the built-in load. */
    public Presets.Resolved resolve(LoadSpec spec) {
        if (spec.isNone()) return new Presets.Resolved(List.of(), false);
        if (!spec.command().isEmpty()) return new Presets.Resolved(spec.pinned(spec.command()), false);
        Presets.Resolved r = Presets.resolve(spec.preset(), spec.instances() == 0 ? cpus : spec.instances(), tools, builtinPrefix, tmpDir);
        return new Presets.Resolved(spec.pinned(r.command()), r.fallback());
    }

    /** Starts the load, or returns null for "none". */
    public LoadProcess start(LoadSpec spec) throws IOException {
        if (spec.isNone()) return null;
        return LoadProcess.start(spec, resolve(spec).command(), stateDir);
    }
}
