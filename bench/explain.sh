#!/usr/bin/env bash
# The cost of --explain: the probe's p50/p99 with and without kernel tracing, runs interleaved (off, on, off, on, ...)
# so that drifting machine load hits both alike, and the size of what tracing keeps: the traces of explained spikes
# per hour, and the raw event stream the reader went through per hour (what a keep-everything trace would be).
# Needs root and tracefs. Usage: bench/explain.sh [PAIRS=3] [SECONDS=20] [CPU=1] [THRESHOLD=100us]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
pairs=${1:-3}; secs=${2:-20}; cpu=${3:-1}; threshold=${4:-100us}
out=$(mktemp -d /tmp/vmlat-explainbench.XXXXXX)
export VMLAT_STATE_DIR="$out/state"
for i in $(seq 1 "$pairs"); do
  for mode in off on; do
    args=(measure -a "$cpu" -p 95 -i 1000us -D "${secs}s" -q --json "$out/$mode-$i.json")
    [[ $mode == on ]] && args+=(--explain --trace-threshold "$threshold" --trace-dir "$out/traces-$i")
    ./vmlat "${args[@]}" > "$out/$mode-$i.txt" 2>&1 || true
  done
done
python3 - "$out" "$pairs" "$secs" <<'PY'
import json, os, re, sys
out, pairs, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
print(f"{'run':<6} {'tracing':<8} {'p50 us':>8} {'p99 us':>8} {'max us':>10} {'explained':>9} {'kept KB':>8} {'events/s':>9}")
rows = {"off": [], "on": []}
for i in range(1, pairs + 1):
    for mode in ("off", "on"):
        t = json.load(open(f"{out}/{mode}-{i}.json"))["threads"][0]
        kept, explained, events = 0, 0, 0
        d = f"{out}/traces-{i}"
        if mode == "on" and os.path.isdir(d):
            kept = sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))
            explained = sum(1 for f in os.listdir(d) if f.endswith(".trace"))
        txt = open(f"{out}/{mode}-{i}.txt").read()
        m = re.search(r"\((\d+) events read\)", txt)
        if m: events = int(m.group(1))
        rows[mode].append((t["p50_ns"], t["p99_ns"], kept, events))
        print(f"{i:<6} {mode:<8} {t['p50_ns']/1000:8.1f} {t['p99_ns']/1000:8.1f} {t['max_ns']/1000:10.1f} {explained:9d} {kept/1024:8.1f} {events/secs:9.0f}")
def med(xs):
    xs = sorted(xs); return xs[len(xs) // 2]
for mode in ("off", "on"):
    r = rows[mode]
    print(f"median {mode:<3}: p50 {med([x[0] for x in r])/1000:.1f} us, p99 {med([x[1] for x in r])/1000:.1f} us")
on = rows["on"]
kept_h = med([x[2] for x in on]) / secs * 3600
ev_h = med([x[3] for x in on]) / secs * 3600
print(f"kept traces: {kept_h/2**20:.1f} MB per hour; event stream read: {ev_h/1e6:.1f} M events per hour "
      f"(~{ev_h*110/2**30:.1f} GB per hour as text at ~110 bytes per line, never written)")
PY
echo "files: $out"
