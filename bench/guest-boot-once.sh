#!/usr/bin/env bash
# QEMU guest scenarios: time per scenario beyond its measuring time when each scenario boots its
# own guest (boot = "per-scenario", the reference) and when consecutive scenarios with the same
# boot-time settings share one boot (boot = "once"), the same matrix in the same run of this script.
# Two matrices: "plain" (3 intervals x no load / hackbench in the guest) and "traced" (explain on,
# reservation none / deadline:2ms/10ms / cfs:5ms/10ms: the guest traces its kernel, the host its
# QEMU threads, and each scenario's reservation goes on the vCPU threads and comes off after).
# Overhead = (first scenario's start .. last scenario's end) / scenarios - duration: boots, result
# (and trace) transfer and the run's own work between scenarios; the JVM's start and the image build are not in it.
# Reservations need root.
# Usage: bench/guest-boot-once.sh [DURATION_SECONDS=2] [KERNEL=rt] [MATRICES="plain traced"]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
secs=${1:-2}
kernel=${2:-rt}
matrices=${3:-plain traced}
out=$(mktemp -d /tmp/vmlat-bootonce.XXXXXX)
trap 'rm -rf "$out"' EXIT
for m in $matrices; do
  for boot in per-scenario once; do
    if [ "$m" = plain ]; then
      probe=''
      matrix='interval = ["1ms", "2ms", "4ms"]
load = ["none", "hb"]'
    else
      probe='[probe]
explain = true
trace_threshold = "300us"'
      matrix='interval = ["1ms"]
load = ["none"]
reservation = ["none", "deadline:2ms/10ms", "cfs:5ms/10ms"]'
    fi
    cat > "$out/$m-$boot.toml" <<PLAN
name = "boot-$m-$boot"
duration = "${secs}s"
timeout = "300s"
$probe
[matrix]
target = ["g"]
probe = ["cyclictest"]
$matrix
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
done
./vmlat guest build --kernel "$kernel" > /dev/null
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"
for m in $matrices; do
  for boot in per-scenario once; do
    ./vmlat lab run "$out/$m-$boot.toml" --store "$out/$m-$boot.db" -q > "$out/$m-$boot.txt" 2>&1 || true
  done
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$here/bench/boot-once-summary.py" "$out" "$secs" $matrices
