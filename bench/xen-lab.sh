#!/usr/bin/env bash
# Xen-lab overhead on the emulated Xen: per guest mode, the wall time of one scenario beyond its
# measured time (xl create, boot to /init, result over the console, destroy, all over SSH), and
# the time of `vmlat xen up` itself. Figures measure emulation (TCG); on a real Dom0 they are
# what the SSH path and xl add, not what emulation adds.
# Usage: bench/xen-lab.sh [DURATION_SECONDS=10]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
secs=${1:-10}
out=$(mktemp -d /tmp/vmlat-xenbench.XXXXXX)
./vmlat xen down > /dev/null
t0=$(date +%s.%N)
./vmlat xen up --lifetime 1h > "$out/up.txt"
t1=$(date +%s.%N)
trap './vmlat xen down > /dev/null' EXIT
for mode in pv pvh hvm; do
  cat > "$out/$mode.toml" <<PLAN
name = "xen-overhead-$mode"
duration = "${secs}s"
timeout = "300s"
[matrix]
target = ["xen"]
probe = ["cyclictest"]
interval = ["1ms"]
mode = ["$mode"]
[[target]]
name = "xen"
kind = "xen"
dom0 = "emulated"
pin = "1"
PLAN
  # a first run installs the guest image in Dom0; the second is the one timed
  [[ $mode == pv ]] && ./vmlat lab run "$out/$mode.toml" --store "$out/warm.db" -q > /dev/null 2>&1
  s=$(date +%s.%N)
  ./vmlat lab run "$out/$mode.toml" --store "$out/$mode.db" -q > "$out/$mode.txt" 2>&1 || { cat "$out/$mode.txt"; exit 1; }
  e=$(date +%s.%N)
  python3 - "$mode" "$s" "$e" "$secs" <<'PY'
import sys
mode, s, e, secs = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
wall = e - s
print(f"{mode.upper():>3}: one {secs} s scenario took {wall:.1f} s wall: {wall - secs:.1f} s beyond the measurement (JVM, SSH, xl create, boot, console, destroy)")
PY
done
python3 - "$t0" "$t1" <<'PY'
import sys
print(f"vmlat xen up (image cached): {float(sys.argv[2]) - float(sys.argv[1]):.1f} s to Dom0 answering over SSH")
PY
