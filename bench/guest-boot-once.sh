#!/usr/bin/env bash
# QEMU guest scenarios: time per scenario beyond its measuring time when each scenario boots its
# own guest (boot = "per-scenario", the reference) and when consecutive scenarios with the same
# boot-time settings share one boot (boot = "once"), the same matrix in the same run of this script.
# Overhead = (first scenario's start .. last scenario's end) / scenarios - duration: boots, result
# transfer and the run's own work between scenarios; the JVM's start and the image build are not in it.
# Usage: bench/guest-boot-once.sh [DURATION_SECONDS=2] [KERNEL=rt]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
secs=${1:-2}
kernel=${2:-rt}
out=$(mktemp -d /tmp/vmlat-bootonce.XXXXXX)
trap 'rm -rf "$out"' EXIT
for boot in per-scenario once; do
  cat > "$out/$boot.toml" <<PLAN
name = "boot-$boot"
duration = "${secs}s"
[matrix]
target = ["g"]
probe = ["cyclictest"]
interval = ["1ms", "2ms", "4ms"]
load = ["none", "hb"]
[[target]]
name = "g"
kind = "qemu"
kernel = "$kernel"
boot = "$boot"
boot_timeout = "300s"
[[load]]
name = "hb"
preset = "scheduler"
placement = "guest"
PLAN
done
./vmlat guest build --kernel "$kernel" > /dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
for boot in per-scenario once; do
  ./vmlat lab run "$out/$boot.toml" --store "$out/$boot.db" -q > "$out/$boot.txt" 2>&1 || true
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$secs" <<'PY'
import json, sqlite3, sys
out, secs = sys.argv[1], int(sys.argv[2])
fig = {}
for boot in ("per-scenario", "once"):
    db = sqlite3.connect(f"{out}/{boot}.db")
    rows = db.execute("select status, started_ms, ended_ms, settings_json from scenarios where run_id = 1 order by idx").fetchall()
    done = [r for r in rows if r[0] == "done"]
    span = (max(r[2] for r in rows) - min(r[1] for r in rows)) / 1000
    n = len(rows)
    elapsed = sum(float(json.loads(r[3] or "{}").get("guest.elapsed", secs)) for r in done) / max(1, len(done))
    boots = sorted({json.loads(r[3] or "{}").get("guest.boot_id", "?") for r in done})
    fig[boot] = span / n - secs
    print(f"boot = {boot:13s}: {n} scenarios ({len(done)} done), {len(boots)} boot(s), {span:.1f} s from first start to last end: "
          f"{span / n - secs:.2f} s per scenario beyond its {secs} s duration "
          f"({span / n - elapsed:.2f} s beyond cyclictest's own {elapsed:.2f} s in the guest)")
print(f"per-scenario overhead, boot-per-scenario / boot-once: {fig['per-scenario'] / fig['once']:.1f}x "
      f"({fig['per-scenario']:.2f} s -> {fig['once']:.2f} s)")
PY
