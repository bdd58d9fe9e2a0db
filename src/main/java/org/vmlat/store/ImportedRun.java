package org.vmlat.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.vmlat.latency.Durations;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.SettingsKeys;
import org.vmlat.latency.ThreadResult;

/**
 * A measurement made elsewhere (a cyclictest output or a vmlat result file) stored as a run of
 * one scenario, so every command that reads runs ({@code tail}, {@code compare}, {@code report},
 * {@code runs show}) reads it as it reads a lab run.
 *
 * <p>The run is named {@value #RUN_NAME} and its plan file is the source. Its one scenario is
 * done; its dimensions are {@code target = imported}, the engine as {@code probe}, the period
 * as {@code interval}, {@code load = unknown} (nothing says what ran beside it, so it is never
 * paired as "no stress"), the priority when the source states it, and {@code repetition = 1};
 * its settings are the measurement's plus {@code imported = true} and {@code imported_from} (the
 * file). Its start and end times are those of the import: the measurement's own, when the source
 * knows them, stay in {@code measured_start}/{@code measured_end} (epoch ms).
 */
public record ImportedRun(long runId, int scenario) {
    public static final String RUN_NAME = "imported";
    public static final String IMPORTED = "imported";
    public static final String IMPORTED_FROM = "imported_from";

    public ImportedRun {
        if (runId < 1) throw new IllegalArgumentException("runId must be >= 1, got " + runId);
        if (scenario < 1) throw new IllegalArgumentException("scenario must be >= 1, got " + scenario);
    }

    /** Stores {@code r}, read from {@code source}, as a new run of {@code store}. */
    public static ImportedRun add(ResultStore store, MeasurementResult r, String source) {
        long run = store.createRun(RUN_NAME, source, null, r.system(), Map.of());
        store.addScenarios(run, List.of(dims(r)));
        long id = store.scenarioId(run, 0);
        long durationNs = r.endEpochMs() > r.startEpochMs() && r.startEpochMs() > 0 ? (r.endEpochMs() - r.startEpochMs()) * 1_000_000 : 0;
        store.startScenario(id, durationNs, r.settings().getOrDefault(SettingsKeys.COMMAND, ""), "");
        Map<String, String> settings = new TreeMap<>(r.settings());
        settings.put(SettingsKeys.ENGINE, r.engine());
        settings.put(IMPORTED, "true");
        settings.put(IMPORTED_FROM, source);
        if (r.startEpochMs() > 0) settings.put("measured_start", Long.toString(r.startEpochMs()));
        if (r.endEpochMs() > 0) settings.put("measured_end", Long.toString(r.endEpochMs()));
        store.finishScenario(id, ScenarioStatus.DONE, null, settings, r.warnings(), r.realtime(), r.threads());
        store.setRunStatus(run, RunStatus.DONE, true);
        return new ImportedRun(run, 1);
    }

    private static Map<String, String> dims(MeasurementResult r) {
        long intervalNs = r.threads().stream().mapToLong(ThreadResult::intervalNs).filter(v -> v > 0).findFirst()
                .orElse(parse(r.settings().get(SettingsKeys.INTERVAL_NS)));
        Map<String, String> d = new LinkedHashMap<>();
        d.put("target", "imported");
        d.put("probe", r.engine());
        d.put("interval", intervalNs > 0 ? Durations.format(intervalNs) : "?");
        d.put("load", "unknown");
        d.put("priority", r.settings().getOrDefault("priority", "?"));
        d.put("repetition", "1");
        return d;
    }

    private static long parse(String v) {
        try {
            return v == null ? 0 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A measurement held in a store of its own that lives only as long as this handle, for
     * commands that take a file where they take a run: the file is imported into it and read as
     * the run it became; closing removes the store.
     */
    public static final class Scratch implements AutoCloseable {
        private final Path dir;
        private final ResultStore store;
        private final ImportedRun run;

        private Scratch(Path dir, ResultStore store, ImportedRun run) {
            this.dir = dir;
            this.store = store;
            this.run = run;
        }

        public ResultStore store() {
            return store;
        }

        public ImportedRun run() {
            return run;
        }

        @Override
        public void close() {
            store.close();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the scratch store " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** {@code r} in a scratch store of its own (a temporary SQLite file, removed on close). */
    public static Scratch scratch(MeasurementResult r, String source) {
        Path dir;
        try {
            dir = Files.createTempDirectory("vmlat-import-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch store: " + e.getMessage(), e);
        }
        ResultStore store = ResultStore.openSqlite(dir.resolve("results.db"));
        try {
            return new Scratch(dir, store, add(store, r, source));
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }
}
