#!/usr/bin/env bash
# Schedulability analyses per second (JMH) and the wall time of an acceptance sweep.
# Usage: bench/sched.sh [JMH options, default: -f 1 -wi 3 -w 2s -i 5 -r 2s]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
mvn -q -B -DskipTests package test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
echo "# JMH: task sets analysed per second (n tasks, U = 0.8, latency 50us as jitter), $(nproc) CPUs"
java -cp "$cp" org.openjdk.jmh.Main 'org.vmlat.bench.SchedBench' ${@:--f 1 -wi 3 -w 2s -i 5 -r 2s} 2>&1 | sed -n '/^Benchmark/,$p' | tee target/sched-bench.txt
echo
echo "# ratio: each analysis against the previous implementation (...Baseline), same sets, same run"
ratios() { # name, params and score are fields 1, 2-3 and 6 of JMH's table
  awk '$1 ~ /^SchedBench\./ { name = $1; sub(/^SchedBench\./, "", name); key = "(n=" $2 ", U=" $3 ")";
         if (name ~ /Baseline$/) { sub(/Baseline$/, "", name); base[name " " key] = $6 } else fast[name " " key] = $6 }
       END { for (k in fast) if (k in base) printf "%-45s x %6.1f  (%s vs %s)\n", k, fast[k] / base[k], fast[k], base[k] }' "$1" | sort
}
ratios target/sched-bench.txt
echo
echo "# one large set: 5000 tasks (8 sets in turn), ms per analysis; no baseline here: the previous"
echo "# EDF spends minutes per set in exact big-number utilisation (gcd of 5000 periods)"
java -cp "$cp" org.openjdk.jmh.Main 'org.vmlat.bench.SchedBench.(fixedPriorityRta|edfQpa)$' -p n=5000 -bm avgt -tu ms \
  -f 1 -wi 1 -w 1s -i 3 -r 1s 2>&1 | sed -n '/^Benchmark/,$p'
echo
echo "# two threads (both cores, each over its own sets): FP and EDF yes/no, n = 10, with the baselines"
java -cp "$cp" org.openjdk.jmh.Main 'org.vmlat.bench.SchedBench.(fixedPriorityRtaVerdictOnly|edfQpaVerdictOnly)(Baseline)?$' -p n=10 -t 2 \
  -f 1 -wi 2 -w 1s -i 3 -r 1s 2>&1 | sed -n '/^Benchmark/,$p' | tee target/sched-bench-2t.txt
ratios target/sched-bench-2t.txt
echo
echo "# acceptance sweep: 10 tasks, U 0.1..0.95 step 0.05 (18 points), L 0..500us (11 points), 1000 sets per point, FP and EDF"
for s in fp edf; do
  /usr/bin/time -f "$s: wall %e s, user %U s, max RSS %M KiB" ./vmlat accept --tasks 10 --sets 1000 --scheduler $s --seed 1 > /dev/null
done
