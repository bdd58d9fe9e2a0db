package org.vmlat.latency.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.vmlat.latency.FormatException;
import org.vmlat.latency.MeasurementResult;
import org.vmlat.latency.ThreadResult;

class CyclictestJsonReaderTest {

    @Test
    void readsTheColonKeysAndVersionOf24() {
        CyclictestJsonReader.Parsed p = new CyclictestJsonReader("j").read(Fixtures.text("cyclictest-2.4/json-t2-nohist.json"));
        assertThat(p.version()).isEqualTo("2.40");
        assertThat(p.commandLine()).isEqualTo("cyclictest -m -p95 -i1000 -t2 -a0,1 -D2 -q --json=json-t2-nohist.json");
        assertThat(p.realtime()).isFalse();
        assertThat(p.sysinfo()).containsEntry("release", "6.18.44-fc-v669");
        ThreadResult t0 = p.threads().get(0);
        assertThat(t0.count()).isEqualTo(2000);
        assertThat(t0.minNs()).isEqualTo(11_000);
        assertThat(t0.maxNs()).isEqualTo(354_000);
        assertThat(t0.meanNs()).isEqualTo(14_440.0);
        assertThat(t0.hasDistribution()).isFalse();
        ThreadResult t1 = p.threads().get(1);
        assertThat(t1.count()).isEqualTo(1334);
        assertThat(t1.intervalNs()).isEqualTo(1_500_000); // -i1000 plus the default distance of 500
        assertThat(t1.cpu()).isEqualTo(1);
    }

    @Test
    void histogramAndDerivedOverflows() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.4/json-t2-hist.json");
        ThreadResult t0 = r.threads().get(0);
        assertThat(t0.count()).isEqualTo(4000);
        assertThat(t0.histogram().getTotalCount()).isEqualTo(3999);
        assertThat(t0.histogramOverflows()).isEqualTo(1); // max 142 us is past -h 100
        assertThat(t0.meanNs()).isEqualTo(13_900.0);
        assertThat(t0.intervalNs()).isEqualTo(500_000);
        assertThat(r.threads().get(1).intervalNs()).isEqualTo(500_000); // -h forces distance 0
        assertThat(r.settings()).containsEntry("cyclictest_version", "2.40").containsEntry("format", "json");
    }

    @Test
    void version210() {
        MeasurementResult r = Fixtures.imported("cyclictest-2.10/json-t2-hist.json");
        assertThat(r.settings()).containsEntry("cyclictest_version", "2.10");
        ThreadResult t1 = r.threads().get(1);
        assertThat(t1.count()).isEqualTo(4000);
        assertThat(t1.minNs()).isEqualTo(8_000);
        assertThat(t1.maxNs()).isEqualTo(217_000);
        assertThat(t1.meanNs()).isEqualTo(14_890.0);
        assertThat(t1.histogramOverflows()).isEqualTo(1);
    }

    @Test
    void brokenJsonNamesTheLine() {
        assertThatThrownBy(() -> new CyclictestJsonReader("x.json").read("{\n  \"thread\": {\n    \"0\": [\n}"))
                .isInstanceOf(FormatException.class).hasMessageStartingWith("x.json:4:");
    }

    @Test
    void missingFieldIsNamed() {
        assertThatThrownBy(() -> new CyclictestJsonReader("x.json").read("{\"thread\": {\"0\": {\"cycles\": 10, \"min\": 1, \"avg\": 2.0}}}"))
                .isInstanceOf(FormatException.class).hasMessageContaining("thread.0.max");
    }
}
