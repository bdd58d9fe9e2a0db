package org.vmlat.targets;

import java.util.List;
import java.util.Set;

/**
 * One kind of target (local, qemu, xen, ...) as a plug-in: its name in plans, the plan keys it
 * accepts and how it reads them into its own settings record, the matrix dimensions that shape
 * its targets, and how it creates a target for a run. Kinds are listed in {@link TargetKinds};
 * nothing else knows a kind by its name.
 *
 * @param <S> its settings record
 */
public interface TargetKind<S extends TargetSettings> {
    /** The name plans give in {@code kind = "..."}. */
    String name();

    /** The keys of its {@code [[target]]} table besides name and kind. */
    Set<String> keys();

    Class<S> settingsType();

    /** Reads and checks its settings; errors through {@link TargetTable#error}. */
    S read(TargetTable table);

    /** The matrix dimensions that shape its targets (none by default). */
    default List<MatrixDimension> dimensions() {
        return List.of();
    }

    /** Whether the probe measures inside a guest (then guest-placed loads apply to it). */
    boolean guest();

    /** The probe engines it can measure with (builtin, cyclictest). */
    Set<String> engines();

    /**
     * Creates the target for a run. Throws {@link TargetUnavailableException} when it cannot be
     * used here (a tool missing); contacts nothing remote ({@link Target#check} does).
     */
    Target create(String name, S settings, TargetContext context);

    /** {@link #create} for settings read by this kind and handed around untyped. */
    default Target createFrom(String name, TargetSettings settings, TargetContext context) {
        return create(name, settingsType().cast(settings), context);
    }

    default boolean understands(String dimension) {
        return dimensions().stream().anyMatch(d -> d.name().equals(dimension));
    }
}
