package org.vmlat.store;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a PostgreSQL store is and who connects, resolved as libpq (psql) resolves it, so that a
 * user's existing set-up works unchanged: the store URL first
 * ({@code postgresql://user:password@host:port/db?service=NAME}), then the service named by
 * {@code service=} or {@code PGSERVICE} in {@code PGSERVICEFILE} or {@code ~/.pg_service.conf},
 * then {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD},
 * then the defaults (localhost, 5432, the user's name). A password still missing is looked up in
 * {@code PGPASSFILE} or {@code ~/.pgpass} ({@code host:port:database:user:password}, {@code *}
 * matching anything, {@code \} escaping {@code :} and {@code \}); like libpq, a password file
 * that its group or others can read is ignored.
 *
 * @param password null when none is known (trust or peer authentication)
 */
record PgConnectionInfo(String host, int port, String database, String user, String password) {
    PgConnectionInfo {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host: must be given, got \"" + host + "\"");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port: must be 1..65535, got " + port);
        if (database == null || database.isBlank()) throw new IllegalArgumentException("database: must be given");
        if (user == null || user.isBlank()) throw new IllegalArgumentException("user: must be given");
    }

    /** The JDBC URL of the database (the user and password go as connection properties). */
    String jdbcUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    /** {@code user@host:port/db}, for messages: never the password. */
    String describe() {
        return user + "@" + host + ":" + port + "/" + database;
    }

    /**
     * Resolves a store location (the store URL without {@code postgresql:}, e.g.
     * {@code //lab@db1/vmlat}) with the given environment and home folder.
     */
    static PgConnectionInfo resolve(String location, Map<String, String> env, Path home) {
        Map<String, String> given = parseLocation(location);
        String service = given.getOrDefault("service", env.get("PGSERVICE"));
        Map<String, String> fromService = service == null ? Map.of() : service(service, env, home);
        String host = first(given.get("host"), fromService.get("host"), env.get("PGHOST"), "localhost");
        // a socket folder (libpq's default when no host is given) is not reachable from Java: use TCP on this machine
        if (host.startsWith("/")) host = "localhost";
        String portText = first(given.get("port"), fromService.get("port"), env.get("PGPORT"), "5432");
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw new StoreException("PostgreSQL store " + location + ": port \"" + portText + "\" is not a number");
        }
        String user = first(given.get("user"), fromService.get("user"), env.get("PGUSER"), System.getProperty("user.name"));
        String database = first(given.get("dbname"), fromService.get("dbname"), env.get("PGDATABASE"), user);
        String password = first(given.get("password"), fromService.get("password"), env.get("PGPASSWORD"), null);
        if (password == null) password = fromPassFile(passFile(env, home), host, port, database, user);
        return new PgConnectionInfo(host, port, database, user, password);
    }

    private static String first(String... values) {
        for (String v : values) if (v != null && !v.isEmpty()) return v;
        return null;
    }

    /** The parts a store location names: host, port, dbname, user, password, and URL parameters (service, ...). */
    static Map<String, String> parseLocation(String location) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!location.startsWith("//")) {
            throw new StoreException("PostgreSQL store URL must look like postgresql://user@host:port/database, got postgresql:" + location);
        }
        // taken apart by hand: java.net.URI refuses the empty authority libpq accepts (postgresql:///db, postgresql://?service=x)
        String rest = location.substring(2);
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? null : rest.substring(slash);
        if (!authority.isEmpty()) {
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                String userInfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                put(out, "user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon)));
                if (colon >= 0) put(out, "password", decode(userInfo.substring(colon + 1)));
            }
            String hostPart = authority, portPart = null;
            if (hostPart.startsWith("[")) {
                int end = hostPart.indexOf(']');
                portPart = hostPart.length() > end + 1 && hostPart.charAt(end + 1) == ':' ? hostPart.substring(end + 2) : null;
                hostPart = hostPart.substring(1, end);
            } else if (hostPart.contains(":")) {
                portPart = hostPart.substring(hostPart.indexOf(':') + 1);
                hostPart = hostPart.substring(0, hostPart.indexOf(':'));
            }
            put(out, "host", decode(hostPart));
            put(out, "port", portPart);
        }
        if (path != null && path.length() > 1) put(out, "dbname", decode(path.substring(1)));
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) put(out, decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null && !value.isEmpty()) out.put(key, value);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** A service's settings from the per-user service file ({@code [name]} then {@code key=value} lines). */
    private static Map<String, String> service(String name, Map<String, String> env, Path home) {
        Path file = env.containsKey("PGSERVICEFILE") ? Path.of(env.get("PGSERVICEFILE")) : home.resolve(".pg_service.conf");
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new StoreException("PostgreSQL service \"" + name + "\": cannot read " + file + " (" + e.getMessage() + ")", e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        boolean in = false, found = false;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                in = line.substring(1, line.length() - 1).strip().equals(name);
                found |= in;
            } else if (in && line.contains("=")) {
                int eq = line.indexOf('=');
                out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        if (!found) throw new StoreException("PostgreSQL service \"" + name + "\" is not defined in " + file);
        return out;
    }

    private static Path passFile(Map<String, String> env, Path home) {
        return env.containsKey("PGPASSFILE") ? Path.of(env.get("PGPASSFILE")) : home.resolve(".pgpass");
    }

    /** The password of the first matching line of a password file, or null. */
    static String fromPassFile(Path file, String host, int port, String database, String user) {
        if (!Files.isRegularFile(file)) return null;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            for (PosixFilePermission p : perms) {
                // libpq ignores a password file others can read, and so do we
                if (p != PosixFilePermission.OWNER_READ && p != PosixFilePermission.OWNER_WRITE && p != PosixFilePermission.OWNER_EXECUTE) {
                    return null;
                }
            }
        } catch (UnsupportedOperationException | IOException e) {
            // no POSIX permissions here: read it as libpq on such systems does
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return null;
        }
        String[] wanted = {host, Integer.toString(port), database, user};
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) continue;
            List<String> fields = splitEscaped(line);
            if (fields.size() < 5) continue;
            boolean match = true;
            for (int i = 0; i < 4 && match; i++) match = fields.get(i).equals("*") || fields.get(i).equals(wanted[i]);
            if (match) return fields.get(4);
        }
        return null;
    }

    /** Splits a password-file line at unescaped colons; the last field keeps any further colons. */
    private static List<String> splitEscaped(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                field.append(line.charAt(++i));
            } else if (c == ':' && out.size() < 4) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        out.add(field.toString());
        return out;
    }
}
