#!/usr/bin/env bash
# make bench (plan part): omnitwin plan on `omnitwin gen` networks of
# 2 DCs, S stores x K SKUs, 56 days of history, 14-day horizon: time of each
# phase and peak RSS; then omnitwin vs glpsol on the monolithic GNU MathProg
# model (tests/gmpl/plan.mod) of one 20 stores x 200 SKUs instance.
# Prints Markdown; docs/BENCHMARKS.md section 3 records a run.
#
#   scripts/bench_plan.sh build/omnitwin
#   PLAN_STORES="100 300" PLAN_SKUS=1000 PLAN_TIMEOUT=900 GLPSOL_TIMEOUT=1200 \
#     scripts/bench_plan.sh build/omnitwin
set -euo pipefail
bin=$(readlink -f "${1:-build/omnitwin}")
cd "$(dirname "$0")/.."
work=${PLAN_BENCH_DIR:-build/bench-plan}
stores_list=${PLAN_STORES:-"100 300 1000"}
skus=${PLAN_SKUS:-1000}
limit=${PLAN_TIMEOUT:-900}
glimit=${GLPSOL_TIMEOUT:-1200}
threads=${PLAN_THREADS:-2}
mkdir -p "$work"
# a private copy: a rebuild of build/omnitwin during the run cannot break it
cp "$bin" "$work/omnitwin.bench"
bin=$(readlink -f "$work/omnitwin.bench")

metric() { grep "^$1," "$2/summary.csv" | cut -d, -f2; }

echo "### Scale (2 DCs, 14 days, --threads $threads)"
echo
echo "| pairs | stores x SKUs | load s | forecast s | optimise s | write s | total s (CPU s) | peak RSS MB | LPs (warm) | largest LP | store blocks | lp_status | decomposition gap | rounding gap | fill rate |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for stores in $stores_list; do
  net=$work/net-$stores-$skus out=$work/out-$stores-$skus
  [[ -s $net/nodes.csv ]] || "$bin" gen --out "$net" --dcs 2 --stores "$stores" --skus "$skus" \
                                    --days 56 --seed 1 > /dev/null
  rm -rf "$out"
  set +e
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" timeout "$limit" \
    "$bin" plan --network "$net" --out "$out" --threads "$threads" > "$work/log" 2>&1
  rc=$?
  set -e
  pairs=$((stores * skus))
  if (( rc != 0 )); then
    echo "| $pairs | $stores x $skus | did not finish in $limit s (exit $rc) | | | | | | | | | | | | |"
    continue
  fi
  read -r wall rss usr sys < <(tail -1 "$work/time")
  phases=$(sed -n 's/^  time *[0-9.]* s: load \([0-9.]*\), forecast \([0-9.]*\), optimise \([0-9.]*\), write \([0-9.]*\)$/\1 | \2 | \3 | \4/p' "$work/log")
  echo "| $pairs | $stores x $skus | $phases | $wall ($(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')) | $((rss / 1024)) | $(metric lps_solved "$out") ($(metric lps_warm_started "$out")) | $(metric largest_lp_rows "$out") x $(metric largest_lp_cols "$out") | $(metric store_blocks "$out") | $(metric lp_status "$out") | $(metric decomposition_gap "$out") | $(metric rounding_gap "$out") | $(metric expected_fill_rate "$out") |"
done

echo
gstores=${GLPSOL_STORES:-20} gskus=${GLPSOL_SKUS:-200}
echo "### omnitwin vs glpsol, 2 DCs x $gstores stores x $gskus SKUs, 14 days"
echo
net=$work/net-glpsol-$gstores-$gskus out=$work/out-glpsol
[[ -s $net/nodes.csv ]] || "$bin" gen --out "$net" --dcs 2 --stores "$gstores" --skus "$gskus" \
                                  --days 56 --seed 3 > /dev/null
rm -rf "$out"
/usr/bin/time -f "%e %M %U %S" -o "$work/time" "$bin" plan --network "$net" --out "$out" --threads "$threads" \
  --mip-max-cols 0 --write-gmpl "$work/glpsol.dat" > "$work/log"
read -r owall orss ousr osys < <(tail -1 "$work/time")
oopt=$(sed -n 's/^  time .* optimise \([0-9.]*\),.*/\1/p' "$work/log")
olp=$(metric lp_objective "$out")
echo "| solver | wall s (CPU s) | peak RSS MB | LP objective | vs omnitwin |"
echo "| --- | --- | --- | --- | --- |"
echo "| omnitwin plan (whole run: forecast, $(metric lps_solved "$out") LPs, rounding, files) | $owall ($(awk -v u="$ousr" -v s="$osys" 'BEGIN { print u + s }'); optimise $oopt wall) | $((orss / 1024)) | $olp ($(metric lp_status "$out"), decomposition gap $(metric decomposition_gap "$out")) | |"
for mode in ${GLPSOL_MODES:-"--interior" "--simplex"}; do
  set +e
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" timeout "$glimit" \
    glpsol $mode --math tests/gmpl/plan.mod --data "$work/glpsol.dat" > "$work/glpsol.log" 2>&1
  rc=$?
  set -e
  name="glpsol $mode"
  if (( rc != 0 )); then
    read -r _ _ gusr gsys < <(tail -1 "$work/time" 2>/dev/null || echo "0 0 0 0")
    echo "| $name | did not finish in $glimit s wall | | | > $(awk -v a="$glimit" -v b="$owall" 'BEGIN { printf "%.0fx", a / b }') the wall time |"
    continue
  fi
  read -r gwall grss gusr gsys < <(tail -1 "$work/time")
  gobj=$(sed -n 's/^objective //p' "$work/glpsol.log")
  echo "| $name | $gwall ($(awk -v u="$gusr" -v s="$gsys" 'BEGIN { print u + s }')) | $((grss / 1024)) | $gobj | $(awk -v a="$gwall" -v b="$owall" -v x="$olp" -v y="$gobj" 'BEGIN { printf "%.1fx the time; objective %+.3f%%", a / b, 100 * (x - y) / y }') |"
done
