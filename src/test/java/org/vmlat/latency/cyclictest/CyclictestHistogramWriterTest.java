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

    /**
     * A real cyclictest 2.10 {@code -h 200} output and vmlat's writing of what it read: the same
     * bucket rows and summary lines; only the overflow cycle numbers, which vmlat does not keep,
     * are left empty.
     */
    @Test
    void theLayoutIsCyclictestsLineForLine() {
        String real = Fixtures.text("cyclictest-2.10/hist-t2.txt");
        List<ThreadResult> read = new CyclictestTextReader("in", 1000, 0).read(Fixtures.reader("cyclictest-2.10/hist-t2.txt")).threads();
        List<String> written = CyclictestHistogramWriter.write(read, 200).lines().toList();
        List<String> expected = real.lines().filter(l -> !l.startsWith("# /dev/cpu_dma_latency")).map(l -> l.startsWith("# Thread ")
                ? l.substring(0, l.indexOf(':') + 1) : l).toList();
        assertThat(written).containsExactlyElementsOf(expected);
    }
}
