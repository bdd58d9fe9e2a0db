package org.vmlat.probe.builtin;

import java.util.ArrayList;
import java.util.List;
import org.vmlat.latency.Spike;

/**
 * The N largest latencies seen by one thread, kept in a fixed-size min-heap of primitive arrays so
 * that {@link #offer} never allocates. Single writer; read only after the writer has finished.
 */
final class SpikeTable {
    private final long[] latency;
    private final long[] cycle;
    private final long[] expected;
    private int size;

    SpikeTable(int capacity) {
        latency = new long[capacity];
        cycle = new long[capacity];
        expected = new long[capacity];
    }

    void offer(long latencyNs, long cycleIndex, long expectedNs) {
        int cap = latency.length;
        if (cap == 0) return;
        if (size < cap) {
            int i = size++;
            latency[i] = latencyNs;
            cycle[i] = cycleIndex;
            expected[i] = expectedNs;
            siftUp(i);
        } else if (latencyNs > latency[0]) {
            latency[0] = latencyNs;
            cycle[0] = cycleIndex;
            expected[0] = expectedNs;
            siftDown(0);
        }
    }

    List<Spike> toList() {
        List<Spike> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) out.add(new Spike(latency[i], cycle[i], expected[i]));
        return out;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (latency[parent] <= latency[i]) return;
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int l = 2 * i + 1, r = l + 1, smallest = i;
            if (l < size && latency[l] < latency[smallest]) smallest = l;
            if (r < size && latency[r] < latency[smallest]) smallest = r;
            if (smallest == i) return;
            swap(i, smallest);
            i = smallest;
        }
    }

    private void swap(int a, int b) {
        long t = latency[a]; latency[a] = latency[b]; latency[b] = t;
        t = cycle[a]; cycle[a] = cycle[b]; cycle[b] = t;
        t = expected[a]; expected[a] = expected[b]; expected[b] = t;
    }
}
