#!/usr/bin/env bash
# Agreement of vmlat's builtin probe with cyclictest, and the probe's own overhead.
#
# Runs the two engines interleaved (A B A B ...) at the same priority, on the same CPU, at each
# interval, and prints per percentile the median over pairs of (builtin - cyclictest). cyclictest
# runs with -N -v (nanoseconds, every sample) and is read back with `vmlat import --nsecs`, so
# both sides are exact to the nanosecond; its main thread is kept off the measuring CPU.
# Then: bytes allocated by the probe loop per activation, JVM start to first sample, and resident
# memory at the start and end of a long run.
#
# Usage: bench/probe-vs-cyclictest.sh [PAIRS=3] [SECONDS=10] [LONG_SECONDS=120]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
pairs=${1:-3}; secs=${2:-10}; long=${3:-120}
cpu=$(( $(nproc) - 1 )); main_cpu=0; prio=95
out=$(mktemp -d /tmp/vmlat-bench.XXXXXX)
echo "# builtin vs cyclictest: $pairs pairs x ${secs}s, SCHED_FIFO $prio, CPU $cpu, $(cyclictest --help 2>&1 | head -1)"
echo "# results in $out"
for interval in 200 1000; do
  for p in $(seq 1 "$pairs"); do
    "$here/vmlat" measure --probe builtin -p $prio -i ${interval}us -t 1 -a $cpu -D ${secs}s -q \
      --json "$out/b-$interval-$p.json" > /dev/null
    cyclictest -m -p $prio -i $interval -t 1 -a $cpu --mainaffinity=$main_cpu -D $secs -N -v \
      > "$out/c-$interval-$p.txt" 2>/dev/null
    "$here/vmlat" import --nsecs "$out/c-$interval-$p.txt" --json "$out/c-$interval-$p.json" > /dev/null
  done
done
"$here/vmlat" measure --probe builtin -p $prio -i 200us -t 1 -a $cpu -D ${long}s -q --json "$out/long.json" > /dev/null

python3 - "$out" "$pairs" <<'PY'
import json, statistics, sys
out, pairs = sys.argv[1], int(sys.argv[2])
keys = ["min_ns", "p50_ns", "p90_ns", "p99_ns", "p99_9_ns", "max_ns", "mean_ns"]
def load(f): return json.load(open(f))
print(f"\n{'interval':>8} {'metric':>8} {'builtin(us)':>12} {'cyclictest(us)':>15} {'median diff(us)':>16}  per pair")
for interval in (200, 1000):
    for k in keys:
        b = [load(f"{out}/b-{interval}-{p}.json")["threads"][0][k] for p in range(1, pairs + 1)]
        c = [load(f"{out}/c-{interval}-{p}.json")["threads"][0][k] for p in range(1, pairs + 1)]
        d = [(x - y) / 1000 for x, y in zip(b, c)]
        print(f"{interval:>6}us {k[:-3]:>8} {statistics.median(b)/1000:>12.2f} {statistics.median(c)/1000:>15.2f} "
              f"{statistics.median(d):>+16.2f}  " + " ".join(f"{x:+.2f}" for x in d))
print()
for interval in (200, 1000):
    for p in range(1, pairs + 1):
        r = load(f"{out}/b-{interval}-{p}.json")
        t = r["threads"][0]
        s = r["settings"]
        print(f"builtin {interval}us pair {p}: {t['count']} activations, {t['overruns']} overruns, "
              f"loop allocated {s['probe.loop_allocated_bytes']} B "
              f"({int(s['probe.loop_allocated_bytes'])/max(1,t['count']):.4f} B/activation), "
              f"JVM start to first sample {s['probe.jvm_start_to_first_sample_ms']} ms")
l = load(f"{out}/long.json"); s = l["settings"]; t = l["threads"][0]
print(f"long run: {t['count']} activations at 200us, loop allocated {s['probe.loop_allocated_bytes']} B, "
      f"RSS {s['probe.rss_kb_at_start']} KiB at start, {s['probe.rss_kb_at_end']} KiB at end")
PY
