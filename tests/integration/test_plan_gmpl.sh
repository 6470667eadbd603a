#!/usr/bin/env bash
# The independent check: the same instances written as GNU MathProg data
# (--write-gmpl) and solved by glpsol with tests/gmpl/plan.mod, a
# monolithic LP over all SKUs, must reach omnitwin's LP objective.
set -euo pipefail
bin=${OMNITWIN_BIN:?}
command -v glpsol > /dev/null || { echo "FAIL: glpsol not installed (apt-get install glpk-utils)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# compare NAME OUTDIR DATFILE: relative difference below 1e-6
compare() {
  local lp glp
  lp=$(grep '^lp_objective,' "$2/summary.csv" | cut -d, -f2)
  glp=$(glpsol --math tests/gmpl/plan.mod --data "$3" | sed -n 's/^objective //p')
  [[ -n $glp ]] || fail "$1: glpsol printed no objective"
  awk -v a="$lp" -v b="$glp" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b; if (m < 1) m = 1;
                                    exit !(d / m < 1e-6) }' \
    || fail "$1: omnitwin LP objective $lp, glpsol $glp"
  echo "$1: omnitwin $lp = glpsol $glp"
}

# 1. a generated network: lanes, lead times, pipeline, safety stock from
#    service levels, node and lane capacities that do not bind
"$bin" gen --out "$tmp/net" --suppliers 1 --dcs 1 --stores 4 --skus 5 --days 56 --seed 7 > /dev/null
"$bin" plan --network "$tmp/net" --out "$tmp/out1" --mip-max-cols 0 --write-gmpl "$tmp/one.dat" --quiet
grep -q '^decomposition_gap,0.000000$' "$tmp/out1/summary.csv" || fail "gen instance decomposed"
compare generated "$tmp/out1" "$tmp/one.dat"

# 2. two SKUs sharing a lane of 40 volume a day that both want more of:
#    omnitwin solves them jointly, as glpsol does
mkdir "$tmp/shared"
cat > "$tmp/shared/nodes.csv" <<'CSV'
node_id,kind,region,lat,lon,capacity
SUP,supplier,R1,,,
DC,dc,R1,,,5000
S1,store,R1,,,
S2,store,R1,,,
CSV
cat > "$tmp/shared/skus.csv" <<'CSV'
sku,category,unit_cost,holding_cost,stockout_cost,case_pack,volume
A,x,1,0.01,5,1,1
B,x,1,0.02,9,1,2
CSV
cat > "$tmp/shared/routes.csv" <<'CSV'
from,to,lead_time_days,cost_per_unit,capacity_per_day,mode
SUP,DC,2,0.5,,truck
DC,S1,1,0.3,40,truck
DC,S2,1,0.4,,truck
S2,S1,1,0.9,,van
CSV
cat > "$tmp/shared/inventory.csv" <<'CSV'
node_id,sku,on_hand
DC,A,60
DC,B,30
S1,A,5
S2,B,12
CSV
{
  echo "date,node_id,sku,qty"
  for d in $(seq -w 1 28); do
    echo "2025-02-$d,S1,A,$((20 + 10#$d % 7))"
    echo "2025-02-$d,S1,B,$((15 + 10#$d % 5))"
    echo "2025-02-$d,S2,B,$((4 + 10#$d % 3))"
  done
} > "$tmp/shared/history.csv"
printf 'order_id,from,to,sku,qty,arrive_date\nP1,SUP,DC,A,30,2025-03-02\n' > "$tmp/shared/pipeline.csv"
printf 'node_id,sku,service_level\nS1,A,0.95\n' > "$tmp/shared/policy.csv"
"$bin" plan --network "$tmp/shared" --out "$tmp/out2" --horizon 7 --mip-max-cols 0 \
  --write-gmpl "$tmp/two.dat" --quiet
grep -q '^joint_lps,1$' "$tmp/out2/summary.csv" || fail "shared lane: no joint LP"
compare shared-capacity "$tmp/out2" "$tmp/two.dat"
