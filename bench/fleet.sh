#!/usr/bin/env bash
# Lab fleet: claims per second with 1, 4 and 16 workers draining a queued run on a local
# PostgreSQL, and the cost per scenario of what a worker does besides measuring (claim, start,
# store results and end, release), target <= 50 ms at 16 workers; then real `vmlat lab worker`
# processes on 30 scenarios of 200 ms: wall time per scenario beyond the measuring.
# Needs Debian's postgresql (scripts/ensure-deps test) and root (the server runs as postgres).
# Usage: bench/fleet.sh [SCENARIOS=400]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
n=${1:-400}
bin=/usr/lib/postgresql/15/bin
out=$(mktemp -d /tmp/vmlat-fleetbench.XXXXXX)
chown postgres "$out"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pg() { runuser -u postgres -- "$@"; }
cleanup() { pg "$bin/pg_ctl" -D "$out/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$out"; }
trap cleanup EXIT
pg "$bin/initdb" -D "$out/data" -A trust -U postgres --no-sync >/dev/null
pg "$bin/pg_ctl" -D "$out/data" -o "-p $port -k $out -c listen_addresses=127.0.0.1 -c max_connections=100" -l "$out/log" -w start >/dev/null
mvn -q -o -B -DskipTests package test-compile >&2
cp="target/test-classes:target/classes:target/lib/*"
echo "# claims: $n scenarios, each on its own host group, drained by N workers (threads with their own connections)"
for w in 1 4 16; do
  pg "$bin/createdb" -h 127.0.0.1 -p "$port" "claims$w"
  java -cp "$cp" org.vmlat.store.ClaimBench "postgresql://postgres@127.0.0.1:$port/claims$w" "$w" "$n"
done
echo "# real workers: 30 scenarios of 200 ms (3 host groups), 3 vmlat lab worker processes"
pg "$bin/createdb" -h 127.0.0.1 -p "$port" workers
url="postgresql://postgres@127.0.0.1:$port/workers"
cat > "$out/plan.toml" <<PLAN
name = "fleet-bench"
duration = "200ms"
warmup = "0s"
repetitions = 10
[[target]]
name = "a"
host_group = "box-a"
[[target]]
name = "b"
host_group = "box-b"
[[target]]
name = "c"
host_group = "box-c"
[matrix]
target = ["a", "b", "c"]
probe = ["builtin"]
interval = ["1ms"]
PLAN
./vmlat lab submit "$out/plan.toml" --store "$url" >/dev/null
start=$(date +%s.%N)
for i in 1 2 3; do VMLAT_STATE_DIR="$out/state$i" ./vmlat lab worker --store "$url" --until-idle -q > "$out/w$i.txt" 2>&1 & done
wait
end=$(date +%s.%N)
python3 - "$start" "$end" <<PY
import sys
wall = float(sys.argv[2]) - float(sys.argv[1])
# 3 workers in parallel, 10 scenarios each of 0.2 s
print(f"wall={wall:.1f}s per_scenario_beyond_measuring_s={(wall * 3 / 30) - 0.2:.2f} (JVM start included, load average {open('/proc/loadavg').read().split()[0]})")
PY
