package org.vmlat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.vmlat.cli.CliTest.fixture;
import static org.vmlat.cli.CliTest.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unit of cyclictest's text output, which the text does not state. */
class ImportCommandTest {

    @Test
    void importReadsTheUnitOfCyclictestNOutput(@TempDir Path dir) throws Exception {
        // T: 0 ... Min:  11477 Act:   12991 Avg:   14127 Max:  105683, printed by cyclictest -N
        Path json = dir.resolve("r.json");
        CliTest.Run r = run("import", fixture("cyclictest-2.4/quiet-t1-nsecs.txt").toString(), "--json", json.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode t = new ObjectMapper().readTree(Files.readString(json)).path("threads").get(0);
        assertThat(t.path("min_ns").asLong()).isEqualTo(11_477);
        assertThat(t.path("max_ns").asLong()).isEqualTo(105_683);
    }

    @Test
    void importRefusesNanosecondsItCannotTellFromMicroseconds() throws Exception {
        Path f = fixture("cyclictest-2.4/hist-t1-nsecs.txt");
        CliTest.Run r = run("import", f.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains(f.toString()).contains("--nsecs").doesNotContain("\tat ");
        assertThat(run("import", f.toString(), "--nsecs").code()).isZero();
        assertThat(run("import", f.toString(), "--nsecs", "--usecs").code()).isEqualTo(ExitCodes.USAGE);
    }
}
