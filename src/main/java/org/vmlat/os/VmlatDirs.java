package org.vmlat.os;

import java.nio.file.Path;

/**
 * Where vmlat keeps files between runs, following the XDG base directories: state that must
 * survive a crash and be found again by a later vmlat ({@code loads/}: a record per running load
 * or guest with its owner; {@code cpus/}: one lock file per CPU being measured; {@code tmp/PID-START/}:
 * each vmlat's private temporary folder; {@code xen/}: the emulated Xen's machine file) and caches
 * that can be rebuilt (guest and Dom0 images, {@code vmlat cache}); and the data the user keeps, the
 * results store.
 */
public final class VmlatDirs {
    private VmlatDirs() {}

    /** {@code $VMLAT_STATE_DIR/<name>}, else {@code $XDG_STATE_HOME/vmlat/<name>}, else {@code ~/.local/state/vmlat/<name>}. */
    public static Path state(String name) {
        String env = System.getenv("VMLAT_STATE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env).resolve(name);
        return home("XDG_STATE_HOME", ".local", "state").resolve(name);
    }

    /** {@code $XDG_DATA_HOME/vmlat/<name>}, else {@code ~/.local/share/vmlat/<name>}: what the user keeps (the results store). */
    public static Path data(String name) {
        return home("XDG_DATA_HOME", ".local", "share").resolve(name);
    }

    /** {@code $XDG_CACHE_HOME/vmlat/<name>}, else {@code ~/.cache/vmlat/<name>}. */
    public static Path cache(String name) {
        return home("XDG_CACHE_HOME", ".cache").resolve(name);
    }

    private static Path home(String variable, String... fallback) {
        String xdg = System.getenv(variable);
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), fallback);
        return base.resolve("vmlat");
    }
}
