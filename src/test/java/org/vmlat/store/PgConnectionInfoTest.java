package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection settings resolved as libpq's documentation says (URL, service file, environment, password file). */
class PgConnectionInfoTest {
    static Path pgpass(Path home, String text, String perms) throws Exception {
        Path f = home.resolve(".pgpass");
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }

    @Test
    void theUrlNamesUserHostPortAndDatabase(@TempDir Path home) {
        PgConnectionInfo i = PgConnectionInfo.resolve("//lab:s%3Acret@db1.example:6543/vmlat", Map.of(), home);
        assertThat(i).isEqualTo(new PgConnectionInfo("db1.example", 6543, "vmlat", "lab", "s:cret"));
        assertThat(i.jdbcUrl()).isEqualTo("jdbc:postgresql://db1.example:6543/vmlat");
        assertThat(i.describe()).doesNotContain("cret");
        assertThat(PgConnectionInfo.resolve("//lab@[::1]/v", Map.of(), home).jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/v");
    }

    @Test
    void whatTheUrlLeavesOutComesFromTheEnvironmentThenTheDefaults(@TempDir Path home) {
        PgConnectionInfo i = PgConnectionInfo.resolve("//db1/", Map.of("PGUSER", "ops", "PGPORT", "5433", "PGPASSWORD", "pw"), home);
        assertThat(i).isEqualTo(new PgConnectionInfo("db1", 5433, "ops", "ops", "pw")); // the database defaults to the user's name
        PgConnectionInfo d = PgConnectionInfo.resolve("//", Map.of("PGUSER", "ops", "PGHOST", "/var/run/postgresql"), home);
        assertThat(d.host()).as("a socket folder is reached over TCP on this machine").isEqualTo("localhost");
        assertThat(d.port()).isEqualTo(5432);
    }

    @Test
    void thePasswordFileMatchesFieldsWithWildcardsAndEscapesAndIsIgnoredWhenOthersCanReadIt(@TempDir Path home) throws Exception {
        String text = """
                # host:port:database:user:password
                db1:5432:other:lab:wrong
                db1:*:vmlat:lab:pa\\:ss\\\\word
                *:*:*:*:fallback
                """;
        pgpass(home, text, "rw-------");
        assertThat(PgConnectionInfo.resolve("//lab@db1/vmlat", Map.of(), home).password()).isEqualTo("pa:ss\\word");
        assertThat(PgConnectionInfo.resolve("//lab@db2:7000/x", Map.of(), home).password()).isEqualTo("fallback");
        assertThat(PgConnectionInfo.resolve("//lab:given@db1/vmlat", Map.of(), home).password()).as("the URL's comes first").isEqualTo("given");
        assertThat(PgConnectionInfo.resolve("//lab@db1/vmlat", Map.of("PGPASSWORD", "env"), home).password()).isEqualTo("env");
        pgpass(home, text, "rw-r--r--");
        assertThat(PgConnectionInfo.resolve("//lab@db1/vmlat", Map.of(), home).password()).isNull();
    }

    @Test
    void aServiceFillsWhatTheUrlLeavesOutBeforeTheEnvironment(@TempDir Path home) throws Exception {
        Files.writeString(home.resolve(".pg_service.conf"), """
                [other]
                host=nowhere
                [lab]
                host = db9.example
                port=6000
                dbname=results
                user=worker
                """);
        PgConnectionInfo i = PgConnectionInfo.resolve("//", Map.of("PGSERVICE", "lab", "PGHOST", "ignored", "PGPASSWORD", "pw"), home);
        assertThat(i).isEqualTo(new PgConnectionInfo("db9.example", 6000, "results", "worker", "pw"));
        assertThat(PgConnectionInfo.resolve("//admin@/?service=lab", Map.of(), home))
                .extracting(PgConnectionInfo::user, PgConnectionInfo::host).containsExactly("admin", "db9.example");
        assertThatThrownBy(() -> PgConnectionInfo.resolve("//?service=nope", Map.of(), home)).hasMessageContaining("\"nope\" is not defined");
        assertThatThrownBy(() -> PgConnectionInfo.resolve("db1/x", Map.of(), home)).hasMessageContaining("postgresql://user@host:port/database");
    }
}
