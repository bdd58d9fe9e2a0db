#!/usr/bin/env bash
# Guest-lab overhead: (wall time - measured time) / measured time for QEMU guest scenarios
# (PREEMPT_RT guest, idle and with hackbench on the host), after the image is built.
# Usage: bench/guest-lab.sh [DURATION_SECONDS=30]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
secs=${1:-30}
out=$(mktemp -d /tmp/vmlat-guestbench.XXXXXX)
cat > "$out/plan.toml" <<PLAN
name = "guest-overhead"
duration = "${secs}s"
[matrix]
target = ["rt-guest"]
probe = ["cyclictest"]
interval = ["1ms"]
load = ["none", "hackbench"]
[[target]]
name = "rt-guest"
kind = "qemu"
kernel = "rt"
pin = "1"
qemu_priority = 90
[[load]]
name = "hackbench"
preset = "scheduler"
PLAN
./vmlat guest build --kernel rt > /dev/null
start=$(date +%s.%N)
./vmlat lab run "$out/plan.toml" --store "$out/lab.db" -q > "$out/lab.txt" 2>&1
end=$(date +%s.%N)
python3 - "$start" "$end" "$secs" <<'PY'
import sys
start, end, secs = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
wall, measured = end - start, 2 * secs
print(f"guest-lab overhead: 2 guest scenarios x {secs} s: wall {wall:.1f} s, measured {measured} s, "
      f"overhead {(wall - measured) / measured * 100:.1f} % ({(wall - measured) / 2:.2f} s per scenario: QEMU start, boot, power-off, JVM)")
PY
./vmlat runs show 1 --store "$out/lab.db" | tail -4
