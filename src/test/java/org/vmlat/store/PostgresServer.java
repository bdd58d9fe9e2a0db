package org.vmlat.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real PostgreSQL server for tests, from Debian's {@code postgresql} package: a fresh cluster
 * ({@code initdb -A trust}) in a temporary folder, started with {@code pg_ctl} as the postgres
 * user on a free port, listening on 127.0.0.1 (and any further addresses asked for), its socket
 * in the same folder; stopped and deleted afterwards. As a JUnit extension
 * ({@code @ExtendWith(PostgresServer.class)}) it starts once per test class and is handed to test
 * methods as a parameter; without PostgreSQL installed, or not as root, the tests are skipped.
 */
public final class PostgresServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback, ParameterResolver {
    static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

    private Path dir;
    private int port;
    private List<String> listen;
    private int databases;

    /** For JUnit's extension registration. */
    public PostgresServer() {}

    /** Whether a server can be started here: the binaries are installed and this runs as root (to become postgres). */
    public static boolean available() {
        return Files.isExecutable(BIN.resolve("pg_ctl")) && "root".equals(System.getProperty("user.name"));
    }

    /** Starts a new server listening on 127.0.0.1 and {@code extraAddresses}. */
    public static PostgresServer start(String... extraAddresses) throws Exception {
        PostgresServer s = new PostgresServer();
        s.listen = new ArrayList<>(List.of("127.0.0.1"));
        s.listen.addAll(List.of(extraAddresses));
        s.dir = Files.createTempDirectory("vmlat-pg-");
        s.port = freePort();
        run("chown", "postgres", s.dir.toString());
        asPostgres(BIN.resolve("initdb").toString(), "-D", s.dir.resolve("data").toString(), "-A", "trust", "-U", "postgres", "--no-sync");
        // workers in other network namespaces connect from their own addresses
        Files.writeString(s.dir.resolve("data/pg_hba.conf"), "host all all 0.0.0.0/0 trust\n", StandardOpenOption.APPEND);
        s.startServer();
        return s;
    }

    private void startServer() throws Exception {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=" + String.join(",", listen) + " -c fsync=off -c max_connections=200",
                "-l", dir.resolve("log").toString(), "-w", "start");
    }

    /** Stops the server at once (as a crash would, connections cut) and starts it again on the same port. */
    public void restart(long downMs) throws Exception {
        asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        Thread.sleep(downMs);
        startServer();
    }

    /** A new empty database; its store URL for a server address ({@code 127.0.0.1} unless given). */
    public String newDatabase(String address) throws Exception {
        String name = "vmlat" + (++databases);
        asPostgres(BIN.resolve("createdb").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", name);
        return url(address, name);
    }

    public String newDatabase() throws Exception {
        return newDatabase("127.0.0.1");
    }

    public String url(String address, String database) {
        return "postgresql://postgres@" + address + ":" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        if (dir == null) return;
        try {
            asPostgres(BIN.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
            dir = null;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void asPostgres(String... cmd) throws Exception {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        all.addAll(List.of(cmd));
        run(all.toArray(String[]::new));
    }

    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    // ---- as a JUnit extension: one server per test class ----

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresServer.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Assumptions.assumeTrue(available(), "PostgreSQL 15 (Debian postgresql) and root are needed");
        context.getStore(NS).put("server", start());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        PostgresServer s = context.getStore(NS).remove("server", PostgresServer.class);
        if (s != null) s.close();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        // stores are looked up through the parent contexts: the class's server
        return e.getStore(NS).get("server", PostgresServer.class);
    }
}
