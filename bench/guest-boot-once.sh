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
python3 - "$out" "$secs" $matrices <<'PY'
import json, sqlite3, sys
out, secs, matrices = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
for m in matrices:
    print(f"matrix {m}:")
    fig = {}
    for boot in ("per-scenario", "once"):
        db = sqlite3.connect(f"{out}/{m}-{boot}.db")
        rows = [(st, a, b, json.loads(js or "{}") | {"load": json.loads(dims)["load"]}) for st, a, b, js, dims in
                db.execute("select status, started_ms, ended_ms, settings_json, dims_json from scenarios where run_id = 1 order by idx")]
        done = [r for r in rows if r[0] == "done"]
        n = len(rows)
        span = (max(r[2] for r in rows) - min(r[1] for r in rows)) / 1000
        each = [((b - a) / 1000, s.get("guest.boot", "?"), float(s.get("guest.elapsed", "nan"))) for st, a, b, s in done]
        boots = {s.get("guest.boot_id") for st, a, b, s in done}
        # done scenarios only: a failed one costs its timeout, which says nothing about booting
        per_done = sum(w for w, _, _ in each) / max(1, len(each)) - secs
        fig[boot] = per_done
        print(f"  boot = {boot}: {n} scenarios, {len(done)} done, {len(boots)} boot(s); first start to last end {span:.1f} s = "
              f"{span / n - secs:.2f} s per scenario beyond its {secs} s; done scenarios: {per_done:.2f} s per scenario beyond {secs} s")
        print("     each done scenario (wall s, boot, cyclictest's own s in the guest): "
              + ", ".join(f"{w:.1f} {b} {e:.2f}" for w, b, e in each))
        if m == "plain":
            for load in ("none", "hb"):
                same = [(b - a) / 1000 - secs for st, a, b, s in done if s["load"] == load]
                if same: print(f"     load {load}: {len(same)} done, {sum(same) / len(same):.2f} s per scenario beyond {secs} s")
        else:
            for st, a, b, s in done:
                host = json.loads(s["explain.host"]) if "explain.host" in s else None
                print(f"     {s.get('reservation', '?')}: {(b - a) / 1000 - secs:.2f} s beyond {secs} s, {s.get('guest.boot', '?')} boot, "
                      f"{len(json.loads(s.get('explain', '{}')).get('spikes', []))} spikes explained, trace {int(s.get('explain.trace_bytes', 0)) // 1024} KiB gzip, "
                      f"clock from {host['alignment']['samples'] if host else 0} round trips, applied: {s.get('reservation.applied', '-')}")
        reused = [w - e for w, b, e in each if b == "reused"]
        if reused:
            print(f"     reused boots alone: {sum(reused) / len(reused):.2f} s per scenario beyond cyclictest's own time in the guest")
    if fig["once"] > 0:
        print(f"  per-scenario overhead of done scenarios, boot per scenario / boot once: {fig['per-scenario'] / fig['once']:.1f}x "
              f"({fig['per-scenario']:.2f} s -> {fig['once']:.2f} s)")
PY
