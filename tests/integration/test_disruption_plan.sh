#!/usr/bin/env bash
# A closure and a capacity cut change the plan by exactly the hand-computed
# amounts (docs/DISRUPTIONS.md "End to end").
#
# Network tests/data/disruptions/plan/net: SUP1 -> DC1 -> S1, one SKU A
# (case pack 1, holding 0.01, stockout 10 a unit), DC1 holds 1000, S1 none;
# DC1->S1 takes 1 day, costs 0.1 a unit, carries 10 a day. S1 demand is 8 a
# day on 2026-01-01..04 (--demand). A shipment on day t arrives on t+1.
#
#   no feed:        day 1 is lost (nothing can arrive), days 2-4 served by
#                   8 shipped on days 1-3: lost 8, 24 units shipped;
#   cut.xml:        DC1->S1 at 0.5 -> 5 a day: lost 8 + 3 x 3 = 17, 15 units;
#   close.xml:      S1 closed on day 3 (no shipment that day): ship 10 on
#                   days 1 and 2 (2 + 2 carried), day 4 has 4 of 8: lost
#                   8 + 4 = 12, 20 units;
#   both:           5 on days 1 and 2, nothing on day 3: lost 8 + 3 + 3 + 8
#                   = 22, 10 units.
# Objective = 0.1 x units + 10 x lost + 0.01 x (DC1 end-of-day stock + S1
# carried stock), e.g. no feed: 2.4 + 80 + 39.28 = 121.68.
set -uo pipefail
bin=${OMNITWIN_BIN:?}
dir=tests/data/disruptions/plan
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

run() { # name expected_lost expected_units expected_objective feeds...
  local name=$1 lost=$2 units=$3 objective=$4
  shift 4
  local args=()
  for f in "$@"; do args+=(--disruptions "$dir/$f"); done
  if ! "$bin" plan --network "$dir/net" --out "$tmp/$name" --demand "$dir/demand.csv" \
        --as-of 2026-01-01 --horizon 4 --quiet "${args[@]}"; then
    echo "FAIL $name: plan exited $?"; fail=1; return
  fi
  local s=$tmp/$name/summary.csv
  local got_lost got_units got_obj
  got_lost=$(awk -F, '$1 == "expected_lost_units" { printf "%g", $2 }' "$s")
  got_units=$(awk -F, '$1 == "units" { printf "%g", $2 }' "$s")
  got_obj=$(awk -F, '$1 == "objective" { printf "%.2f", $2 }' "$s")
  if [[ $got_lost != "$lost" || $got_units != "$units" || $got_obj != "$objective" ]]; then
    echo "FAIL $name: lost $got_lost units $got_units objective $got_obj" \
         "(expected $lost, $units, $objective)"
    fail=1
  else
    echo "ok $name: lost $got_lost, units $got_units, objective $got_obj"
  fi
}

run baseline 8 24 121.68
run cut 17 15 211.05 cut.xml
run closure 12 20 161.36 close.xml
run both 22 10 260.65 cut.xml close.xml

# The closure day carries no shipment toward S1.
if grep -q ',2026-01-03,' "$tmp/closure/orders.csv"; then
  echo "FAIL closure: an order ships on the closed day"; cat "$tmp/closure/orders.csv"; fail=1
fi
# A bad feed: nothing planned, exit 65, the problem named.
out=$("$bin" plan --network "$dir/net" --out "$tmp/bad" --demand "$dir/demand.csv" \
        --as-of 2026-01-01 --horizon 4 --disruptions tests/data/disruptions/xxe.xml 2>&1)
rc=$?
if [[ $rc -ne 65 || $out != *"DOCTYPE declaration refused"* || -e $tmp/bad/orders.csv ]]; then
  echo "FAIL bad feed: exit $rc (expected 65, no orders)"; echo "$out"; fail=1
else
  echo "ok bad feed refused"
fi
exit $fail
