package org.vmlat.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.vmlat.latency.LatencyHistograms;
import org.vmlat.stats.LatencyBuckets.Bucket;

/** Which interval each recorded value stands for (HdrHistogram 3 digits: 128 ns wide at 200 us). */
class LatencyBucketsTest {
    @Test
    void exactValuesAreHdrHistogramBuckets() {
        Histogram h = LatencyHistograms.create();
        h.recordValue(1_500); // below 2048: exact
        h.recordValueWithCount(200_000, 3); // 131072..262143: 128 ns buckets, 1562 x 128 = 199936
        LatencyBuckets b = LatencyBuckets.of(h);
        assertThat(b.buckets()).containsExactly(new Bucket(1_500, 1_501, 1), new Bucket(199_936, 200_064, 3));
        assertThat(b.total()).isEqualTo(4);
    }

    @Test
    void wholeMicrosecondsStandForTheFollowingMicrosecond() {
        Histogram h = LatencyHistograms.create();
        h.recordValueWithCount(17_000, 5);
        h.recordValue(200_000);
        h.recordValue(2_099_000); // 2048 ns HdrHistogram bucket [2097152, 2099200): 2098 and 2099 us share it
        LatencyBuckets b = LatencyBuckets.of(h, 1000, 2);
        assertThat(b.buckets()).containsExactly(new Bucket(17_000, 18_000, 5), new Bucket(200_000, 201_000, 1),
                new Bucket(2_098_000, 2_100_000, 1));
        assertThat(b.aboveCount()).isEqualTo(2);
        assertThat(b.aboveFromNs()).isEqualTo(2_100_000);
        assertThat(b.total()).isEqualTo(9);
        assertThat(b.widestNs()).isEqualTo(2000);
    }

    @Test
    void rejectsOverlappingBuckets() {
        assertThatThrownBy(() -> new LatencyBuckets(List.of(new Bucket(0, 10, 1), new Bucket(5, 20, 1)), 0, 20, 1))
                .hasMessageContaining("sorted and disjoint");
        assertThatThrownBy(() -> new Bucket(10, 10, 1)).hasMessageContaining("low < high");
    }
}
