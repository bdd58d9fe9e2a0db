#!/usr/bin/env bash
# Start-up and resident memory of vmlat against cyclictest's, measured in the same run.
#   start-up: wall time from exec to exit of a one-activation measurement (`measure -l 1`, no
#     warm-up activations; cyclictest -l 1), the builtin probe's own exec-to-first-sample figure
#     (probe.exec_to_first_sample_ms: from the launcher's exec to the first measured wake-up),
#     and the wall time of short commands (`--version`, `runs list`, `report`)
#   memory: resident set of a 3 s measurement with one thread (probe.rss_kb_at_start, taken
#     while measuring, and the peak from /usr/bin/time) against cyclictest's peak; the same for
#     a lab run of one local builtin scenario
# Medians over RUNS runs. Usage: [STARTUP_FIFO=PRIO] bench/startup.sh [RUNS=5] [OTHER_CHECKOUT]
# STARTUP_FIFO runs the timed commands (cyclictest's too) under chrt -f PRIO: on a machine busy
# with other work their start-up then meets the CPUs about as on a quiet one (the probe's own
# threads still take their own priority).
# With OTHER_CHECKOUT (another vmlat checkout, e.g. the previous version built in a temporary
# folder), its start-up is measured too, alternating with this one's in every run, so that both
# meet the same load; its rows are printed after this one's, with the ratio this/other.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
runs=${1:-5}
other=${2:-}
out=$(mktemp -d /tmp/vmlat-startup.XXXXXX)
export VMLAT_STATE_DIR="$out/state"
vmlat="$here/vmlat"
"$vmlat" --version > /dev/null # builds the jar and its class-data archive when they are stale
if [[ -n "$other" ]]; then
  [[ -x "$other/vmlat" ]] || { echo "bench/startup.sh: $other/vmlat: not a vmlat checkout" >&2; exit 2; }
  "$other/vmlat" --version > /dev/null
fi
now_ms() { date +%s%3N; }
prio=()
[[ -n "${STARTUP_FIFO:-}" ]] && prio=(chrt -f "$STARTUP_FIFO")
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['settings'][sys.argv[2]])" "$1" "$2"; }

"$vmlat" import "$here/src/test/resources/org/vmlat/latency/cyclictest-2.10/hist-t2.txt" --store "$out/s.db" > /dev/null
echo "# start-up, $runs runs each, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); $(cyclictest --help 2>&1 | head -1)${prio[*]:+; timed commands under ${prio[*]}}"
# one round of vmlat's start-up figures, into files named with the given suffix
startups() {
  local v=$1 x=$2 t
  t=$(now_ms); ${prio[@]+"${prio[@]}"} "$v" measure -i 1ms -l 1 --warmup 0 -q --json "$out/m.json" > /dev/null; echo $(( $(now_ms) - t )) >> "$out/v$x"
  json "$out/m.json" probe.exec_to_first_sample_ms >> "$out/f$x"
  t=$(now_ms); ${prio[@]+"${prio[@]}"} "$v" --version > /dev/null; echo $(( $(now_ms) - t )) >> "$out/ver$x"
  t=$(now_ms); ${prio[@]+"${prio[@]}"} "$v" runs list --store "$out/s.db" > /dev/null; echo $(( $(now_ms) - t )) >> "$out/runs$x"
  t=$(now_ms); ${prio[@]+"${prio[@]}"} "$v" report 1 --store "$out/s.db" > /dev/null; echo $(( $(now_ms) - t )) >> "$out/report$x"
}
: > "$out/c"
for x in "" .other; do for f in v f ver runs report; do : > "$out/$f$x"; done; done
for r in $(seq 1 "$runs"); do
  t=$(now_ms); ${prio[@]+"${prio[@]}"} cyclictest -m -p 95 -i 1000 -t 1 -l 1 -q > /dev/null 2>&1; echo $(( $(now_ms) - t )) >> "$out/c"
  # the other checkout first in odd runs, second in even ones: neither always follows cyclictest
  if [[ -n "$other" && $((r % 2)) -eq 1 ]]; then startups "$other/vmlat" .other; fi
  startups "$vmlat" ""
  if [[ -n "$other" && $((r % 2)) -eq 0 ]]; then startups "$other/vmlat" .other; fi
done
c=$(median < "$out/c")
row() {
  local m o; m=$(median < "$out/$2")
  printf "%-44s %6s ms   x %5.1f of cyclictest -l 1 (%s ms)" "$1" "$m" "$(echo "$m / $c" | bc -l)" "$c"
  if [[ -n "$other" ]]; then o=$(median < "$out/$2.other"); printf "   other %6s ms   this/other %5.2f" "$o" "$(echo "$m / $o" | bc -l)"; fi
  echo
}
[[ -n "$other" ]] && echo "# other: $other ($(git -C "$other" log -1 --format='%h %s' 2>/dev/null | cut -c1-60 || echo 'not a git checkout'))"
row "vmlat measure -l 1 --warmup 0 (exec to exit)" v
row "  of which exec to first sample (probe's own)" f
row "vmlat --version" ver
row "vmlat runs list" runs
row "vmlat report RUN" report

echo
echo "# resident memory: one thread, SCHED_FIFO 95, 1 ms, 3 s"
/usr/bin/time -f "%M" -o "$out/crss" cyclictest -m -p 95 -i 1000 -t 1 -D 3 -q > /dev/null 2>&1
/usr/bin/time -f "%M" -o "$out/vrss" "$vmlat" measure -i 1ms -D 3s -q --json "$out/m.json" > /dev/null
crss=$(tail -1 "$out/crss"); vrss=$(tail -1 "$out/vrss"); vnow=$(json "$out/m.json" probe.rss_kb_at_start)
printf "%-44s %8s KiB\n" "cyclictest (peak)" "$crss"
printf "%-44s %8s KiB   x %5.1f\n" "vmlat measure, while measuring" "$vnow" "$(echo "$vnow / $crss" | bc -l)"
printf "%-44s %8s KiB   x %5.1f\n" "vmlat measure (peak, with the result's JSON)" "$vrss" "$(echo "$vrss / $crss" | bc -l)"
cat > "$out/plan.toml" <<PLAN
name = "rss"
duration = "3s"
warmup = "200ms"
[probe]
threads = 1
[matrix]
target = ["host"]
probe = ["builtin"]
interval = ["1ms"]
[[target]]
name = "host"
kind = "local"
PLAN
/usr/bin/time -f "%M" -o "$out/lrss" "$vmlat" lab run "$out/plan.toml" --store "$out/lab.db" -q > /dev/null
lrss=$(tail -1 "$out/lrss")
printf "%-44s %8s KiB   x %5.1f\n" "vmlat lab run, one local builtin scenario (peak)" "$lrss" "$(echo "$lrss / $crss" | bc -l)"
rm -rf "$out"
