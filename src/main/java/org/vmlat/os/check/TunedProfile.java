package org.vmlat.os.check;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vmlat.os.check.Finding.Level;

/**
 * The tuned profile in force, if tuned runs here: the real-time ones set most of what the other
 * checks look at (isolation, RT throttling, the NMI watchdog, idle states) in one go.
 */
final class TunedProfile implements HostCheck {
    static final String NAME = "tuned profile";
    static final Set<String> REAL_TIME = Set.of("realtime", "realtime-virtual-host", "realtime-virtual-guest", "cpu-partitioning");

    @Override
    public List<Finding> check(SystemTree tree, CheckScope scope) {
        Optional<String> active = tree.text("etc/tuned/active_profile").filter(p -> !p.isBlank());
        if (active.isEmpty()) return List.of(new Finding(Level.INFO, NAME, "none active (no /etc/tuned/active_profile)", ""));
        // a profile may be several merged ones ("realtime-virtual-host my-overrides")
        boolean rt = List.of(active.get().split("\\s+")).stream().anyMatch(REAL_TIME::contains);
        return List.of(rt
                ? new Finding(Level.OK, NAME, active.get(), "")
                : new Finding(Level.INFO, NAME, active.get() + " (not a real-time profile)",
                        "tuned-adm profile realtime (realtime-virtual-host on a KVM host), with isolated_cores= in its variables file"));
    }
}
