package org.vmlat.report;

import java.util.List;
import org.vmlat.latency.ThreadResult;
import org.vmlat.store.RunRecord;
import org.vmlat.store.ScenarioRecord;

/**
 * One file format a stored run can be exported in ({@code vmlat runs export --format NAME}).
 * A format is registered by its name in {@link ExportFormats}; nothing else names it.
 */
public interface ExportFormat {
    /** The per-thread results with histograms of a scenario, read only by formats that need them. */
    @FunctionalInterface
    interface ThreadResults {
        List<ThreadResult> of(ScenarioRecord scenario);
    }

    /** How users select it: csv, json, hlog. */
    String name();

    /** One line for the option's help. */
    String description();

    /** The whole export, the same for every locale and time zone except where a format fixes its own. */
    String write(RunRecord run, List<ScenarioRecord> scenarios, ThreadResults threads);
}
