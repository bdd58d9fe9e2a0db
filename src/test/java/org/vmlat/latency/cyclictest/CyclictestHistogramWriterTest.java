package org.vmlat.latency.cyclictest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.ThreadResult;

class CyclictestHistogramWriterTest {

    @Test
    void roundTripOfARealHistogramKeepsEveryBucket() {
        List<ThreadResult> original = new CyclictestTextReader("in", 1000, 0)
                .read(Fixtures.reader("cyclictest-2.4/hist-t2-overflow.txt")).threads();
        String written = CyclictestHistogramWriter.write(original, 40);
        List<ThreadResult> back = new CyclictestTextReader("out", 1000, 0)
                .read(new BufferedReader(new StringReader(written))).threads();
        for (int t = 0; t < 2; t++) {
            assertThat(back.get(t).histogram()).isEqualTo(original.get(t).histogram());
            assertThat(back.get(t).histogramOverflows()).isEqualTo(original.get(t).histogramOverflows());
            assertThat(back.get(t).count()).isEqualTo(original.get(t).count());
            assertThat(back.get(t).minNs()).isEqualTo(original.get(t).minNs());
            assertThat(back.get(t).maxNs()).isEqualTo(original.get(t).maxNs());
        }
        assertThat(written).doesNotContain("# Total").contains("000012 002487\t005047");
    }
}
