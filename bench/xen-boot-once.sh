#!/usr/bin/env bash
# Xen guest scenarios on the emulated Xen: time per scenario beyond its measuring time when each
# scenario creates its own domU (boot = "per-scenario", the reference) and when consecutive
# scenarios with the same boot-time settings share one domU that takes each scenario as a RUN line
# on its console (boot = "once"), the same matrix in the same run of this script.
# Overhead = (first scenario's start .. last scenario's end) / scenarios - duration: domain
# creation, boots, the result over the console, destruction and the run's own work between
# scenarios; the JVM's start and the image's copy to Dom0 are not in it (a first run warms it).
# Uses the emulated Xen of `vmlat xen up` when it runs (VMLAT_STATE_DIR), else starts one and ends it.
# Usage: bench/xen-boot-once.sh [DURATION_SECONDS=2] [MODE=pv]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
secs=${1:-2}
mode=${2:-pv}
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
python3 - "$out" "$secs" <<'PY'
import json, sqlite3, sys
out, secs = sys.argv[1], int(sys.argv[2])
fig = {}
for boot in ("per-scenario", "once"):
    db = sqlite3.connect(f"{out}/{boot}.db")
    rows = [(st, a, b, json.loads(js or "{}") | {"load": json.loads(dims)["load"]}) for st, a, b, js, dims in
            db.execute("select status, started_ms, ended_ms, settings_json, dims_json from scenarios where run_id = 1 order by idx")]
    done = [r for r in rows if r[0] == "done"]
    n = len(rows)
    span = (max(r[2] for r in rows) - min(r[1] for r in rows)) / 1000
    each = [((b - a) / 1000, s.get("guest.boot", "?"), float(s.get("guest.elapsed", "nan"))) for st, a, b, s in done]
    boots = {s.get("guest.boot_id") for st, a, b, s in done}
    per_done = sum(w for w, _, _ in each) / max(1, len(each)) - secs
    fig[boot] = per_done
    print(f"boot = {boot}: {n} scenarios, {len(done)} done, {len(boots)} boot(s); first start to last end {span:.1f} s = "
          f"{span / n - secs:.2f} s per scenario beyond its {secs} s; done scenarios: {per_done:.2f} s per scenario beyond {secs} s")
    print("   each done scenario (wall s, boot, cyclictest's own s in the guest): " + ", ".join(f"{w:.1f} {b} {e:.2f}" for w, b, e in each))
    for load in ("none", "hb"):
        same = [(b - a) / 1000 - secs for st, a, b, s in done if s["load"] == load]
        if same: print(f"   load {load}: {len(same)} done, {sum(same) / len(same):.2f} s per scenario beyond {secs} s")
    reused = [w - secs for w, b, e in each if b == "reused"]
    if reused:
        print(f"   reused boots alone: {sum(reused) / len(reused):.2f} s per scenario beyond {secs} s, "
              f"{sum(w - e for w, b, e in each if b == 'reused') / len(reused):.2f} s beyond cyclictest's own time in the guest")
print(f"per-scenario overhead of done scenarios, boot per scenario / boot once: {fig['per-scenario'] / fig['once']:.1f}x "
      f"({fig['per-scenario']:.2f} s -> {fig['once']:.2f} s)")
PY
