package org.vmlat.store;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SQL dialects vmlat knows, by store URL scheme. A store URL is {@code SCHEME:LOCATION}; a
 * bare path (no scheme) is a SQLite file. Adding a dialect is one line in {@link #KNOWN}.
 */
public final class SqlDialects {
    private static final List<SqlDialect> KNOWN = List.of(new SqliteDialect(), new PostgresDialect());
    private static final SqlDialect FOR_BARE_PATHS = KNOWN.get(0);
    // a scheme has 2+ characters so that a Windows-like "C:..." stays a path
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+):(.*)", Pattern.DOTALL);

    /** A store URL taken apart: the dialect that serves it and the location that dialect reads. */
    public record Located(SqlDialect dialect, String location) {}

    private SqlDialects() {}

    public static Located locate(String url) {
        if (url == null || url.isBlank()) throw new StoreException("store URL is empty: give a file path or sqlite:PATH");
        Matcher m = SCHEME.matcher(url);
        if (!m.matches()) return new Located(FOR_BARE_PATHS, url);
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String location = m.group(2);
        for (SqlDialect d : KNOWN) {
            if (d.scheme().equals(scheme)) {
                if (location.isEmpty()) throw new StoreException("store URL " + url + " names no location: give " + scheme + ":PATH");
                return new Located(d, location);
            }
        }
        throw new StoreException("store URL " + url + ": " + scheme + " stores are not supported yet (supported: "
                + KNOWN.stream().map(d -> d.scheme() + ":PATH").collect(Collectors.joining(", ")) + ", or a file path)");
    }
}
