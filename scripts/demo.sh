#!/usr/bin/env bash
# make demo: checks the bundled sample network and prints the twin's summary.
set -euo pipefail
bin=${1:-build/omnitwin}
cd "$(dirname "$0")/.."
"$bin" validate --network data/sample --events data/sample/events.csv
