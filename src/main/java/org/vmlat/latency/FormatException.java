package org.vmlat.latency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Input that does not follow its format, located as {@code source:line: field: problem} so a user
 * can open the file at the right place.
 */
public final class FormatException extends RuntimeException {
    private final String source;
    private final long line;
    private final String field;
    private final List<FormatException> problems;

    public FormatException(String source, long line, String field, String problem) {
        super(format(source, line, field, problem));
        this.source = source;
        this.line = line;
        this.field = field;
        this.problems = List.of(this);
    }

    private FormatException(List<FormatException> problems) {
        super(String.join("\n", problems.stream().map(Throwable::getMessage).toList()));
        FormatException first = problems.get(0);
        this.source = first.source;
        this.line = first.line;
        this.field = first.field;
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found in one input, one per line in file order, so a user fixes them all in
     * one go; the location accessors give the first.
     */
    public static FormatException all(List<FormatException> problems) {
        if (problems.isEmpty()) throw new IllegalArgumentException("problems must not be empty");
        if (problems.size() == 1) return problems.get(0);
        List<FormatException> flat = new ArrayList<>();
        for (FormatException p : problems) flat.addAll(p.problems);
        flat.sort(Comparator.comparingLong(FormatException::line));
        return new FormatException(flat);
    }

    /** The single problems this one holds (itself when it is one). */
    public List<FormatException> problems() { return problems; }

    private static String format(String source, long line, String field, String problem) {
        StringBuilder sb = new StringBuilder(source);
        if (line > 0) sb.append(':').append(line);
        sb.append(": ");
        if (field != null && !field.isEmpty()) sb.append(field).append(": ");
        return sb.append(problem).toString();
    }

    public String source() { return source; }
    public long line() { return line; }
    public String field() { return field; }
}
