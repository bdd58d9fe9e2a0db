package org.vmlat.targets.local;

import java.util.Set;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetKind;
import org.vmlat.targets.TargetTable;

/** {@code kind = "local"}: this machine, measured with either engine under host loads. */
public final class LocalKind implements TargetKind<LocalSettings> {
    @Override
    public String name() {
        return "local";
    }

    @Override
    public Set<String> keys() {
        return Set.of();
    }

    @Override
    public Class<LocalSettings> settingsType() {
        return LocalSettings.class;
    }

    @Override
    public LocalSettings read(TargetTable table) {
        return new LocalSettings();
    }

    @Override
    public boolean guest() {
        return false;
    }

    @Override
    public Set<String> engines() {
        return Set.of("builtin", "cyclictest");
    }

    @Override
    public Target create(String name, LocalSettings settings, TargetContext context) {
        return new LocalTarget(name, context.loads());
    }
}
