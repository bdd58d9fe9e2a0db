#!/usr/bin/env bash
# Xen guest scenarios on the emulated Xen: time per scenario beyond its measuring time when each
# scenario creates its own domU (boot = "per-scenario", the reference) and when consecutive
# scenarios with the same boot-time settings share one domU that takes each scenario as a RUN line
# on its console (boot = "once"), the same matrix in the same run of this script.
# Overhead = (first scenario's start .. last scenario's end) / scenarios - duration: domain
# creation, boots, the result over the console, destruction and the run's own work between
# scenarios; the JVM's start and the image's copy to Dom0 are not in it (a first run warms it).
# Uses the emulated Xen of `vmlat xen up` when it runs (VMLAT_STATE_DIR), else starts one and ends it.
# With a SCHEDULER (credit, credit2), the guest runs in a cpupool of that scheduler on CPU 1, made with
# its domU and destroyed with it.
# Usage: bench/xen-boot-once.sh [DURATION_SECONDS=2] [MODE=pv] [SCHEDULER]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
secs=${1:-2}
mode=${2:-pv}
sched=${3:-}
pool=
[[ -n "$sched" ]] && pool=$'pin = "1"\nscheduler = "'"$sched"'"'
out=$(mktemp -d /tmp/vmlat-xenbootonce.XXXXXX)
started=
if ! ./vmlat xen status > /dev/null 2>&1; then
  ./vmlat xen up --lifetime 1h > /dev/null
  started=yes
fi
trap 'rm -rf "$out"; [[ -n "$started" ]] && ./vmlat xen down > /dev/null' EXIT
for boot in per-scenario once; do
  cat > "$out/$boot.toml" <<PLAN
name = "xen-boot-$boot"
duration = "${secs}s"
timeout = "300s"
[matrix]
target = ["xen"]
probe = ["cyclictest"]
interval = ["1ms", "2ms", "4ms"]
load = ["none", "hb"]
[[target]]
name = "xen"
kind = "xen"
dom0 = "emulated"
mode = "$mode"
boot = "$boot"
$pool
[[load]]
name = "hb"
preset = "scheduler"
placement = "guest"
PLAN
done
sed -e 's/interval = .*/interval = ["1ms"]/' -e 's/load = \[.*/load = ["none"]/' "$out/once.toml" > "$out/warm.toml"
./vmlat lab run "$out/warm.toml" --store "$out/warm.db" -q > /dev/null 2>&1 || true
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
for boot in per-scenario once; do
  ./vmlat lab run "$out/$boot.toml" --store "$out/$boot.db" -q > "$out/$boot.txt" 2>&1 || true
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/bench/boot-once-summary.py" "$out" "$secs"
