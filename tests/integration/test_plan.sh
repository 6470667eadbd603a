#!/usr/bin/env bash
# omnitwin plan end to end on the bundled sample network: the four output
# files, the orders' format and case packs, stable order ids, overrides,
# and bad input that writes nothing.
set -euo pipefail
bin=${OMNITWIN_BIN:?}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" plan --help | grep -q -- '--disruptions FILE' || fail "--help lacks --disruptions"

"$bin" plan --network data/sample --events data/sample/events.csv --out "$tmp/a" --quiet \
  || fail "plan on data/sample exited $?"
for f in orders.csv forecast.csv summary.csv report.html; do
  [[ -s $tmp/a/$f ]] || fail "$f missing or empty"
done
[[ ! -e $tmp/a/orders.csv.tmp ]] || fail "temporary file left behind"
[[ $(head -1 "$tmp/a/orders.csv") == "order_id,plan_id,kind,sku,from,to,qty,ship_date,arrive_date" ]] \
  || fail "orders.csv header"
[[ $(head -1 "$tmp/a/forecast.csv") == "date,node_id,sku,qty,lo,hi,method" ]] || fail "forecast.csv header"
orders=$(($(wc -l < "$tmp/a/orders.csv") - 1))
(( orders > 0 )) || fail "no orders on the sample"
for m in objective lp_status orders units transport_cost holding_cost stockout_cost \
         expected_lost_units expected_fill_rate seconds rounding_gap; do
  grep -q "^$m," "$tmp/a/summary.csv" || fail "summary.csv lacks $m"
done
grep -q "^orders,$orders$" "$tmp/a/summary.csv" || fail "summary orders != rows of orders.csv"
grep -q "^lp_status,optimal" "$tmp/a/summary.csv" || fail "lp_status not optimal"

# every quantity a positive multiple of its SKU's case pack, dates as a
# lane's lead time apart, kinds by node kind
awk -F, 'FNR==1 { next }
  FILENAME ~ /skus.csv/ { pack[$1] = $6; next }
  FILENAME ~ /nodes.csv/ { kind[$1] = $2; next }
  { if ($7 <= 0 || $7 % pack[$4] != 0) { print "bad qty " $0; bad = 1 }
    k = kind[$5] == "supplier" ? "purchase" : (kind[$5] == "dc" && kind[$6] == "store") ? "replenish" : "transfer"
    if ($3 != k) { print "bad kind " $0; bad = 1 } }
  END { exit bad }' data/sample/skus.csv data/sample/nodes.csv "$tmp/a/orders.csv" \
  || fail "orders break case packs or kinds"
head -1 data/sample/skus.csv | grep -q '^sku,category,unit_cost,holding_cost,stockout_cost,case_pack,' \
  || fail "skus.csv columns moved: fix the awk above"

# the report: self-contained, charts, one line per order
grep -q '<svg' "$tmp/a/report.html" || fail "report has no chart"
! grep -qi '<script\|https\?://' "$tmp/a/report.html" || fail "report is not self-contained"
grep -q 'Orders and why' "$tmp/a/report.html" || fail "report lacks the order table"

# same inputs: the same orders, ids included
"$bin" plan --network data/sample --events data/sample/events.csv --out "$tmp/b" --quiet
cmp -s "$tmp/a/orders.csv" "$tmp/b/orders.csv" || fail "a second run gave other orders"

# planner override: 1000 units on day 1 at one store raise its orders
store=$(awk -F, '$2 == "store" { print $1; exit }' data/sample/nodes.csv)
sku=$(awk -F, 'NR == 2 { print $1 }' data/sample/skus.csv)
as_of=$(grep '^as_of,' "$tmp/a/summary.csv" | cut -d, -f2)
printf 'date,node_id,sku,qty\n%s,%s,%s,1000\n' "$as_of" "$store" "$sku" > "$tmp/over.csv"
"$bin" plan --network data/sample --events data/sample/events.csv --demand "$tmp/over.csv" \
  --out "$tmp/c" --quiet
grep -q "^$as_of,$store,$sku,1000.000,1000.000,1000.000,override$" "$tmp/c/forecast.csv" \
  || fail "override not in forecast.csv"
before=$(awk -F, -v s="$store" -v k="$sku" '$6 == s && $4 == k { n += $7 } END { print n + 0 }' "$tmp/a/orders.csv")
after=$(awk -F, -v s="$store" -v k="$sku" '$6 == s && $4 == k { n += $7 } END { print n + 0 }' "$tmp/c/orders.csv")
(( after > before )) || fail "override did not raise orders to $store ($before -> $after)"

# bad input: exit 65, precise message, nothing written
printf 'date,node_id,sku,qty\n%s,NOWHERE,%s,3\n' "$as_of" "$sku" > "$tmp/bad.csv"
set +e
"$bin" plan --network data/sample --demand "$tmp/bad.csv" --out "$tmp/d" 2> "$tmp/err"
rc=$?
set -e
(( rc == 65 )) || fail "bad override exited $rc, expected 65"
grep -q "bad.csv:2: .*NOWHERE" "$tmp/err" || { cat "$tmp/err"; fail "no FILE:LINE message"; }
[[ ! -e $tmp/d ]] || fail "output written on bad input"

set +e
"$bin" plan --network data/sample --out "$tmp/e" --horizon 0 2> /dev/null
rc=$?
set -e
(( rc == 64 )) || fail "--horizon 0 exited $rc, expected 64"
echo "plan: $orders orders, outputs and failure modes as expected"
