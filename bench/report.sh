#!/usr/bin/env bash
# The HTML report of a run of 100 scenarios with day-sized histograms (2 threads x 86 million
# samples each, long tails): wall time of `vmlat report --html`, tails fitted included.
# Usage: bench/report.sh [SCENARIOS=100]
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
cd "$here"
n=${1:-100}
out=$(mktemp -d /tmp/vmlat-reportbench.XXXXXX)
./vmlat --version > /dev/null
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
java -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" org.vmlat.bench.StoreBench "$out/day.db" "$n" 86
/usr/bin/time -f "vmlat report --html ($n scenarios): wall %e s, max RSS %M KiB" \
  ./vmlat report 1 --store "$out/day.db" --html "$out/html" --rows target --cols probe,interval,load > /dev/null
ls -l "$out/html/index.html"
