#!/usr/bin/env bash
# make bench: runs every scripts/bench_<part>.sh in order (or only those
# named in BENCH=, e.g. BENCH="load forecast"), each given the omnitwin
# binary. Results print as Markdown; docs/BENCHMARKS.md records them with
# the command that made them.
set -euo pipefail
bin=$(readlink -f "${1:-build/omnitwin}")
cd "$(dirname "$0")/.."
parts=${BENCH:-"load forecast plan disruptions stream"}
for part in $parts; do
  script=scripts/bench_$part.sh
  if [[ -x $script ]]; then
    echo "## bench: $part"
    "$script" "$bin"
  else
    echo "## bench: $part (no $script yet)"
  fi
done
