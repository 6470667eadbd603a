#!/usr/bin/env bash
# omnitwin forecast: the same bytes for any thread count, one row per series
# and day with lo <= qty <= hi, planner overrides, bad overrides refused with
# FILE:LINE and nothing written, backtests per class.
set -euo pipefail
bin=${OMNITWIN_BIN:-build/omnitwin}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
"$bin" gen --out "$tmp/net" --stores 4 --skus 10 --days 120 --seed 5 >/dev/null
"$bin" forecast --network "$tmp/net" --out "$tmp/f1.csv" --threads 1 2>/dev/null
"$bin" forecast --network "$tmp/net" --out "$tmp/f2.csv" --threads 2 2>/dev/null
cmp "$tmp/f1.csv" "$tmp/f2.csv"
[[ $(head -1 "$tmp/f1.csv") == "date,node_id,sku,qty,lo,hi,method" ]]
pairs=$(tail -n +2 "$tmp/net/history.csv" | cut -d, -f2,3 | sort -u | wc -l)
(( $(tail -n +2 "$tmp/f1.csv" | wc -l) == pairs * 14 ))
awk -F, 'NR > 1 && !($5 <= $4 && $4 <= $6 && $5 >= 0) { bad = 1 } END { exit bad }' "$tmp/f1.csv"
first=$(sed -n 2p "$tmp/f1.csv" | cut -d, -f1-3)
printf 'date,node_id,sku,qty\n%s,42\n' "$first" > "$tmp/over.csv"
"$bin" forecast --network "$tmp/net" --out "$tmp/f3.csv" --demand "$tmp/over.csv" 2>/dev/null
grep -q "^$first,42.000,.*,override$" "$tmp/f3.csv"
printf 'date,node_id,sku,qty\n2020-02-30,S0001,SKU00001,1\n' > "$tmp/bad.csv"
set +e; "$bin" forecast --network "$tmp/net" --out "$tmp/f4.csv" --demand "$tmp/bad.csv" 2>"$tmp/err"; status=$?; set -e
(( status == 65 )); [[ ! -e $tmp/f4.csv ]]
grep -q "bad.csv:2: date '2020-02-30' is not a date" "$tmp/err"
"$bin" forecast --network "$tmp/net" --backtest 2 2>/dev/null | grep -q "^| all          | chosen"
echo "forecast: all checks passed"
