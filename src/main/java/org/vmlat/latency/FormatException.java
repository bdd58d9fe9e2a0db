package org.vmlat.latency;

/**
 * Input that does not follow its format, located as {@code source:line: field: problem} so a user
 * can open the file at the right place.
 */
public final class FormatException extends RuntimeException {
    private final String source;
    private final long line;
    private final String field;

    public FormatException(String source, long line, String field, String problem) {
        super(format(source, line, field, problem));
        this.source = source;
        this.line = line;
        this.field = field;
    }

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
