package org.vmlat.probe.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Comparator;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.Spike;

class SpikeTableTest {
    @Test
    void keepsTheLargestValuesWhateverTheOrder() {
        Random rnd = new Random(42);
        long[] values = LongStream.range(0, 5000).map(i -> rnd.nextInt(1_000_000)).toArray();
        SpikeTable t = new SpikeTable(7);
        for (int i = 0; i < values.length; i++) t.offer(values[i], i, i * 10L);
        long[] expected = LongStream.of(values).sorted().skip(values.length - 7).toArray();
        long[] kept = t.toList().stream().sorted(Comparator.comparingLong(Spike::latencyNs)).mapToLong(Spike::latencyNs).toArray();
        assertThat(kept).containsExactly(expected);
        for (Spike s : t.toList()) assertThat(values[(int) s.cycle()]).isEqualTo(s.latencyNs());
        for (Spike s : t.toList()) assertThat(s.expectedNs()).isEqualTo(s.cycle() * 10);
    }

    @Test
    void zeroCapacityKeepsNothing() {
        SpikeTable t = new SpikeTable(0);
        t.offer(5, 0, 0);
        assertThat(t.toList()).isEmpty();
    }
}
