#!/usr/bin/env bash
# Lab overhead and store speed.
#  1. Lab overhead: a plan of SCENARIOS x DURATION (builtin and cyclictest, idle and under the syscall
#     preset); prints (wall time - sum of scenario durations) / sum of scenario durations.
#  2. Store: writes and reads a run of 1000 scenarios, then times `vmlat report` on it.
# Usage: bench/lab.sh [DURATION_SECONDS=30]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
secs=${1:-30}
out=$(mktemp -d /tmp/vmlat-labbench.XXXXXX)
cat > "$out/plan.toml" <<PLAN
name = "overhead"
duration = "${secs}s"
[probe]
affinity = "1"
[matrix]
probe = ["builtin", "cyclictest"]
interval = ["1ms"]
load = ["none", "sys"]
[[load]]
name = "sys"
preset = "syscall"
PLAN
./vmlat --version > /dev/null   # build outside the timing
start=$(date +%s.%N)
./vmlat lab run "$out/plan.toml" --store "$out/lab.db" -q > "$out/lab.txt"
end=$(date +%s.%N)
python3 - "$start" "$end" "$secs" <<'PY'
import sys
start, end, secs = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
wall, measured = end - start, 4 * secs
print(f"lab overhead: 4 scenarios x {secs} s: wall {wall:.1f} s, measured {measured} s, overhead {(wall - measured) / measured * 100:.1f} % "
      f"({(wall - measured) / 4:.2f} s per scenario: JVM start, load settling 1 s, probe start-up, store commits)")
PY

mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
java -cp "$cp" org.vmlat.bench.StoreBench "$out/big.db" 1000 | tee "$out/store.txt"
run=$(awk '/^run /{print $2}' "$out/store.txt")
for metric in max p99.9; do
  /usr/bin/time -f "vmlat report (1000 scenarios, --metric $metric): wall %e s" ./vmlat report "$run" --store "$out/big.db" --rows target --cols probe,interval,load --metric $metric > /dev/null
done
echo "# files in $out"
