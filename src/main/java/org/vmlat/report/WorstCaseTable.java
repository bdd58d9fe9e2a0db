package org.vmlat.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vmlat.latency.ThreadSummary;
import org.vmlat.store.ScenarioRecord;
import org.vmlat.store.ScenarioStatus;

/**
 * The study's worst-case table: scenarios pivoted by any plan dimensions into rows and columns,
 * each cell the chosen metric over every thread and repetition in it (max of maxima, max of
 * percentiles, mean of means), in microseconds, with missed periods and failures marked.
 */
public final class WorstCaseTable {
    /**
     * The figure a table, a comparison or an analysis reads off each thread: the largest sample,
     * the mean or a standard percentile. {@link #label} is how users write it ({@code --metric
     * p99.9}), {@link #key} the field of vmlat's result and export JSON that holds it.
     */
    public enum Metric {
        MAX("max", "max_ns"),
        P50("p50", "p50_ns"),
        P90("p90", "p90_ns"),
        P99("p99", "p99_ns"),
        P999("p99.9", "p99_9_ns"),
        P9999("p99.99", "p99_99_ns"),
        MEAN("mean", "mean_ns");

        public final String label;
        public final String key;

        Metric(String label, String key) {
            this.label = label;
            this.key = key;
        }

        /** The metric a user wrote, or an IllegalArgumentException listing the known ones. */
        public static Metric parse(String s) {
            for (Metric m : values()) if (m.label.equals(s)) return m;
            throw new IllegalArgumentException("unknown metric \"" + s + "\" (" + String.join(", ", Arrays.stream(values()).map(m -> m.label).toList()) + ")");
        }

        /** The percentile a P metric reads (99.9 for P999), NaN for max and mean. */
        public double percentile() {
            return switch (this) {
                case P50 -> 50;
                case P90 -> 90;
                case P99 -> 99;
                case P999 -> 99.9;
                case P9999 -> 99.99;
                case MAX, MEAN -> Double.NaN;
            };
        }

        /** This figure of one thread in ns (the mean rounded); -1 when the thread has no samples or no distribution. */
        public long of(ThreadSummary t) {
            if (t.count() == 0) return -1;
            return switch (this) {
                case MAX -> t.maxNs();
                case MEAN -> Math.round(t.meanNs());
                default -> t.percentileNs(percentile());
            };
        }

        /** The label, so option help and picocli's errors show what users type. */
        @Override
        public String toString() {
            return label;
        }
    }

    /** One cell: the value (ns, -1 = unknown), missed periods and how many scenarios failed. */
    public record Cell(long valueNs, long overruns, long periods, int failed, int scenarios, boolean nonRt) {}

    public record Pivot(List<String> rowDims, List<String> colDims, List<String> rows, List<String> cols, Map<String, Cell> cells, Metric metric) {
        public Cell cell(String row, String col) {
            return cells.get(row + "\u0000" + col);
        }
    }

    private WorstCaseTable() {}

    public static Pivot pivot(List<ScenarioRecord> scenarios, List<String> rowDims, List<String> colDims, Metric metric) {
        Set<String> rows = new LinkedHashSet<>(), cols = new LinkedHashSet<>();
        Map<String, List<ScenarioRecord>> groups = new LinkedHashMap<>();
        for (ScenarioRecord s : scenarios) {
            for (String d : rowDims) check(s, d);
            for (String d : colDims) check(s, d);
            String r = key(s, rowDims), c = key(s, colDims);
            rows.add(r);
            cols.add(c);
            groups.computeIfAbsent(r + "\u0000" + c, k -> new ArrayList<>()).add(s);
        }
        Map<String, Cell> cells = new LinkedHashMap<>();
        groups.forEach((k, list) -> cells.put(k, cell(list, metric)));
        return new Pivot(rowDims, colDims, new ArrayList<>(rows), new ArrayList<>(cols), cells, metric);
    }

    private static void check(ScenarioRecord s, String dim) {
        if (!s.dims().containsKey(dim)) {
            throw new IllegalArgumentException("unknown dimension \"" + dim + "\" (this run has: " + String.join(", ", s.dims().keySet()) + ")");
        }
    }

    static String key(ScenarioRecord s, List<String> dims) {
        if (dims.isEmpty()) return "all";
        List<String> parts = new ArrayList<>();
        for (String d : dims) parts.add(s.dims().get(d));
        return String.join(" / ", parts);
    }

    static Cell cell(List<ScenarioRecord> list, Metric metric) {
        long value = -1, over = 0, periods = 0;
        double sum = 0;
        long n = 0;
        int failed = 0, measured = 0;
        boolean nonRt = false;
        for (ScenarioRecord s : list) {
            if (s.status() == ScenarioStatus.FAILED) failed++;
            if (s.threads().isEmpty()) continue;
            if (s.status() != ScenarioStatus.FAILED && !s.realtime()) nonRt = true;
            measured++;
            for (ThreadSummary t : s.threads()) {
                if (t.count() == 0) continue;
                over += Math.max(0, t.overruns());
                periods += t.count() + Math.max(0, t.overruns());
                if (metric == Metric.MEAN) {
                    // the mean of all samples, not of the threads' means
                    sum += t.sumNs();
                    n += t.count();
                } else {
                    value = Math.max(value, metric.of(t));
                }
            }
        }
        if (metric == Metric.MEAN && n > 0) value = Math.round(sum / n);
        return new Cell(measured == 0 ? -1 : value, over, periods, failed, list.size(), nonRt);
    }

    /** The cell as text: "72.0", "72.0 (3.1% missed)", "FAILED", "-". */
    public static String text(Cell c) {
        return c == null || c.valueNs() < 0 ? text(c, "") : text(c, Micros.of(c.valueNs()));
    }

    /** The cell's marks (missed periods, failures, NON-RT) after {@code value}, e.g. a median over repetitions. */
    static String text(Cell c, String value) {
        if (c == null) return "";
        if (c.valueNs() < 0) return c.failed() > 0 ? "FAILED" : "-";
        StringBuilder sb = new StringBuilder(value);
        if (c.overruns() > 0) {
            double pct = 100.0 * c.overruns() / Math.max(1, c.periods());
            sb.append(String.format(Locale.ROOT, pct < 0.1 ? " (%.3f%% missed)" : " (%.1f%% missed)", pct));
        }
        if (c.failed() > 0) sb.append(" [").append(c.failed()).append(" failed]");
        if (c.nonRt()) sb.append(" NON-RT");
        return sb.toString();
    }

    /** How the table is written; JSON is one document ({@code vmlat-report}, values in ns). */
    public enum Format { TEXT, CSV, MARKDOWN, JSON }

    public static String render(Pivot p, Format f) {
        String corner = (p.rowDims().isEmpty() ? "" : String.join("/", p.rowDims())) + " \\ " + (p.colDims().isEmpty() ? "" : String.join("/", p.colDims()));
        List<String> header = new ArrayList<>();
        header.add(corner.strip());
        header.addAll(p.cols());
        List<List<String>> rows = new ArrayList<>();
        for (String r : p.rows()) {
            List<String> row = new ArrayList<>();
            row.add(r);
            for (String c : p.cols()) {
                Cell cell = p.cell(r, c);
                row.add(f == Format.CSV ? (cell == null || cell.valueNs() < 0 ? "" : Micros.of(cell.valueNs())) : text(cell));
            }
            rows.add(row);
        }
        return switch (f) {
            case TEXT, CSV -> table(header, rows, f);
            case MARKDOWN -> caption(p) + "\n\n" + markdown(header, rows);
            case JSON -> json(p);
        };
    }

    /** Any table of text cells in text, CSV or markdown: the same layout as the worst-case table's. */
    static String table(List<String> header, List<List<String>> rows, Format f) {
        return switch (f) {
            case TEXT -> Table.render(header, rows);
            case CSV -> csv(header, rows);
            case MARKDOWN -> markdown(header, rows);
            case JSON -> throw new IllegalArgumentException("a table of text cells has no JSON form");
        };
    }

    private static String csv(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", header.stream().map(Csv::field).toList())).append('\n');
        for (List<String> r : rows) sb.append(String.join(",", r.stream().map(Csv::field).toList())).append('\n');
        return sb.toString();
    }

    /**
     * The metric, its unit and how a cell is made, as a caption pandoc reads ({@code Table: ...}
     * before the table) and other renderers show as a line of text.
     */
    static String caption(Pivot p) {
        String how = p.metric() == Metric.MEAN ? "the mean of all samples of each cell"
                : p.metric() == Metric.MAX ? "the largest sample of each cell" : "the largest " + p.metric().label + " of each cell's threads and repetitions";
        return "Table: " + p.metric().label + " latency in us, " + how + "; rows " + (p.rowDims().isEmpty() ? "all" : String.join("/", p.rowDims()))
                + ", columns " + (p.colDims().isEmpty() ? "all" : String.join("/", p.colDims()));
    }

    private static String json(Pivot p) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", "vmlat-report");
        root.put("version", 1);
        root.put("metric", p.metric().label);
        root.put("rows_by", p.rowDims());
        root.put("columns_by", p.colDims());
        List<Object> cells = new ArrayList<>();
        for (String r : p.rows()) {
            for (String c : p.cols()) {
                Cell cell = p.cell(r, c);
                if (cell == null) continue;
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("row", r);
                m.put("column", c);
                m.put("value_ns", cell.valueNs() < 0 ? null : cell.valueNs());
                m.put("missed_periods", cell.overruns());
                m.put("periods", cell.periods());
                m.put("scenarios", cell.scenarios());
                m.put("failed", cell.failed());
                m.put("realtime", !cell.nonRt());
                cells.add(m);
            }
        }
        root.put("cells", cells);
        try {
            return ResultJsonFormat.MAPPER.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String markdown(List<String> header, List<List<String>> rows) {
        StringBuilder sb = new StringBuilder("| " + String.join(" | ", header) + " |\n|");
        for (int i = 0; i < header.size(); i++) sb.append(i == 0 ? "---|" : "---:|");
        sb.append('\n');
        for (List<String> r : rows) sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        return sb.toString();
    }
}
