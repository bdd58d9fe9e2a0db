package org.vmlat.lab;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vmlat.probe.ProbeException;
import org.vmlat.targets.Target;
import org.vmlat.targets.TargetContext;
import org.vmlat.targets.TargetUnavailableException;

/**
 * The targets of one run: one per scenario shape (a Xen target per mode and kernel, ...), each
 * created by its kind when first needed, all closed at the end of the run together with what they
 * share (the run's resources, e.g. one connection per Dom0).
 */
final class RunTargets implements AutoCloseable {
    private final TargetContext context;
    private final Map<Plan.TargetSpec, Target> made = new LinkedHashMap<>();

    RunTargets(TargetContext context) {
        this.context = context;
    }

    Target forSpec(Plan.TargetSpec spec) {
        return made.computeIfAbsent(spec, s -> s.create(context));
    }

    /**
     * Creates and checks every target before anything runs (remote ones are reached): a wrong key
     * must not fail every scenario one by one. A target that cannot be used stops the run.
     */
    void checkAll(Collection<Plan.TargetSpec> specs) {
        for (Plan.TargetSpec spec : specs) {
            Target t = forSpec(spec);
            try {
                t.check();
            } catch (ProbeException e) {
                throw new TargetUnavailableException("target \"" + spec.name() + "\": " + e.getMessage(), e);
            }
        }
    }

    /** Closes every target, then the shared resources; a failure is reported and the rest still closed. */
    @Override
    public void close() {
        try {
            for (Target t : made.values()) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    context.warnings().accept(t.name() + ": could not close: " + e.getMessage());
                }
            }
        } finally {
            made.clear();
            context.resources().close();
        }
    }
}
