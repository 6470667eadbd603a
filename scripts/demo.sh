#!/usr/bin/env bash
# make demo: checks the bundled sample network, prints the twin's summary,
# then runs the nightly plan on it and says where its files are.
set -euo pipefail
bin=${1:-build/omnitwin}
cd "$(dirname "$0")/.."
"$bin" validate --network data/sample --events data/sample/events.csv
echo
out=build/demo-plan
"$bin" plan --network data/sample --events data/sample/events.csv --out "$out"
echo
echo "orders for the ERP:   $out/orders.csv"
echo "planner's report:     $out/report.html"
echo "forecast and summary: $out/forecast.csv, $out/summary.csv"
