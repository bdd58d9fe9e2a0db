package org.vmlat.os;

import java.nio.file.Path;

/**
 * vmlat's per-user state folder: $VMLAT_STATE_DIR, else $XDG_STATE_HOME/vmlat, else
 * ~/.local/state/vmlat. It holds what must be found again by a later vmlat: {@code loads/} (a
 * record per running load or guest, with its owner), {@code cpus/} (one lock file per CPU being
 * measured) and {@code tmp/PID-START/} (each vmlat's private temporary folder).
 */
public final class StateFolder {
    private StateFolder() {}

    public static Path base() {
        String env = System.getenv("VMLAT_STATE_DIR");
        if (env != null && !env.isBlank()) return Path.of(env);
        String xdg = System.getenv("XDG_STATE_HOME");
        Path home = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return home.resolve("vmlat");
    }

    /** Records of running loads and guests. */
    public static Path loads() {
        return base().resolve("loads");
    }

    /** One lock file per CPU being measured. */
    public static Path cpuLocks() {
        return base().resolve("cpus");
    }

    /** Parent of the private temporary folders. */
    public static Path temporary() {
        return base().resolve("tmp");
    }
}
