package org.vmlat.latency.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** cyclictest's --json file written back byte for byte from what vmlat reads of a real one. */
class CyclictestJsonWriterTest {
    private static long epochMs(String cyclictestTime) {
        return ZonedDateTime.parse(cyclictestTime, DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT)).toInstant().toEpochMilli();
    }

    @Test
    void aRealCyclictestJsonFileIsWrittenBackExactly() {
        String real = Fixtures.text("cyclictest-2.10/json-t2-hist.json");
        CyclictestJsonReader.Parsed p = new CyclictestJsonReader("json-t2-hist.json").read(real);
        var header = new CyclictestJsonWriter.Header(p.commandLine(), p.version(), epochMs("Wed, 25 Nov 2026 10:15:32 +0000"),
                epochMs("Wed, 25 Nov 2026 10:15:34 +0000"), 0, p.sysinfo(), p.realtime());
        // the run used -h 100; vmlat does not record the NUMA node (cyclictest wrote 0), it writes -1
        String written = CyclictestJsonWriter.write(header, p.threads(), 100);
        assertThat(written).isEqualTo(real.replace("\"node\": 0", "\"node\": -1"));
        // and reads back to the same threads
        var back = new CyclictestJsonReader("back").read(written);
        for (int t = 0; t < 2; t++) {
            assertThat(back.threads().get(t).histogram()).isEqualTo(p.threads().get(t).histogram());
            assertThat(back.threads().get(t).count()).isEqualTo(p.threads().get(t).count());
            assertThat(back.threads().get(t).maxNs()).isEqualTo(p.threads().get(t).maxNs());
        }
    }
}
