#!/usr/bin/env bash
# Schedulability analyses per second (JMH) and the wall time of an acceptance sweep.
# Usage: bench/sched.sh [JMH options, default: -f 1 -wi 3 -w 2s -i 5 -r 2s]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
mvn -q -B -DskipTests package test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
cp="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
echo "# JMH: task sets analysed per second (n tasks, U = 0.8, latency 50us as jitter), $(nproc) CPUs"
java -cp "$cp" org.openjdk.jmh.Main 'org.vmlat.bench.SchedBench' ${@:--f 1 -wi 3 -w 2s -i 5 -r 2s} 2>&1 | sed -n '/^Benchmark/,$p'
echo
echo "# acceptance sweep: 10 tasks, U 0.1..0.95 step 0.05 (18 points), L 0..500us (11 points), 1000 sets per point, FP and EDF"
for s in fp edf; do
  /usr/bin/time -f "$s: wall %e s, user %U s, max RSS %M KiB" ./vmlat accept --tasks 10 --sets 1000 --scheduler $s --seed 1 > /dev/null
done
