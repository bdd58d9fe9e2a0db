package org.vmlat.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The export formats by name: adding a format is one class and one entry here. */
public final class ExportFormats {
    private static final Map<String, ExportFormat> BY_NAME = new LinkedHashMap<>();

    static {
        for (ExportFormat f : List.of(new CsvExport(), new JsonExport(), new HlogExport(), new BucketCsvExport(),
                new CyclictestHistExport(), new CyclictestJsonExport())) BY_NAME.put(f.name(), f);
    }

    private ExportFormats() {}

    /** The format called {@code name}, or an IllegalArgumentException listing the known ones. */
    public static ExportFormat named(String name) {
        ExportFormat f = BY_NAME.get(name);
        if (f == null) throw new IllegalArgumentException("expected " + String.join(", ", BY_NAME.keySet()) + ", got \"" + name + "\"");
        return f;
    }

    public static List<ExportFormat> all() {
        return List.copyOf(BY_NAME.values());
    }
}
