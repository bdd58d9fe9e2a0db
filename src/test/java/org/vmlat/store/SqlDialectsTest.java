package org.vmlat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlDialectsTest {
    @Test
    void aBarePathAndTheSqliteSchemeAreSqliteFiles() {
        assertThat(SqlDialects.locate("vmlat-results/results.db")).satisfies(l -> {
            assertThat(l.dialect()).isInstanceOf(SqliteDialect.class);
            assertThat(l.location()).isEqualTo("vmlat-results/results.db");
        });
        assertThat(SqlDialects.locate("sqlite:/srv/lab/r.db").location()).isEqualTo("/srv/lab/r.db");
        assertThat(SqlDialects.locate("SQLite:r.db").dialect()).isInstanceOf(SqliteDialect.class);
        assertThat(SqlDialects.locate("/data/odd:name.db").location()).isEqualTo("/data/odd:name.db");
        assertThat(SqlDialects.locate("C:store.db").location()).as("one letter is a drive, not a scheme").isEqualTo("C:store.db");
    }

    @Test
    void aSchemeWithoutADialectIsNotSupportedYet() {
        assertThatThrownBy(() -> SqlDialects.locate("mysql://lab.example/vmlat")).isInstanceOf(StoreException.class)
                .hasMessageContaining("mysql stores are not supported yet").hasMessageContaining("sqlite:PATH");
        assertThat(SqlDialects.locate("postgresql://lab@db1/vmlat").dialect()).isInstanceOf(PostgresDialect.class);
        assertThat(SqlDialects.locate("postgresql://lab@db1/vmlat").location()).isEqualTo("//lab@db1/vmlat");
        assertThatThrownBy(() -> SqlDialects.locate("sqlite:")).hasMessageContaining("names no location");
        assertThatThrownBy(() -> SqlDialects.locate(" ")).hasMessageContaining("empty");
    }
}
