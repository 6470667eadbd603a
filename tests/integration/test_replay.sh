#!/usr/bin/env bash
# omnitwin replay (CONTRACT §7, docs/REPLAY.md).
#
# 1. tests/data/replay: SUP -> S1 (1 day, 0.01 a unit), one SKU (holding
#    0.1, stockout 10), S1 holds 10 on 2026-01-01 and sells 10 a day
#    (history, then sale events on 2026-01-01..05); the feed closes the lane
#    on 2026-01-02..03, known since 2025-12-31. By hand (tests/check_replay.c
#    test_closure): baseline loses nothing and ships 50 units; unforeseen
#    ships 10 on day 1, nothing while closed, loses 20 on 2 store-days and
#    ships 30; foreseen ships 30 on day 1 and holds 20 + 10 units on two
#    evenings (3.00), losing nothing. kpis.csv must be exactly
#    expected-kpis.csv, and the same bytes on a second run.
# 2. data/sample with its events and every feed in data/disruptions over
#    2026-01-01..07: the three scenarios, foreseen loses no more than
#    unforeseen, the disruption costs something, replay.html is complete.
# 3. Bad input: exit 65 and nothing written; bad usage: 64.
set -uo pipefail
bin=${OMNITWIN_BIN:?}
dir=tests/data/replay
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
say() { echo "FAIL: $*"; fail=1; }

tiny=(--network "$dir/net" --events "$dir/events.csv" --disruptions "$dir/closure.xml"
      --horizon 7)

# ---- 1. hand-computed replay, byte for byte, twice -------------------------
if "$bin" replay "${tiny[@]}" --from 2026-01-01 --to 2026-01-05 --out "$tmp/a" > "$tmp/a.out"; then
  cmp -s "$tmp/a/kpis.csv" "$dir/expected-kpis.csv" ||
    { say "kpis.csv differs from the hand-computed one:"; diff "$tmp/a/kpis.csv" "$dir/expected-kpis.csv"; }
  grep -q 'the disruption cost 20 lost units; foresight saved 20 of them' "$tmp/a.out" ||
    say "stdout summary line missing: $(cat "$tmp/a.out")"
  "$bin" replay "${tiny[@]}" --from 2026-01-01 --to 2026-01-05 --out "$tmp/b" --quiet ||
    say "second run exited $?"
  cmp -s "$tmp/a/kpis.csv" "$tmp/b/kpis.csv" || say "two runs wrote different kpis.csv"
  cmp -s "$tmp/a/replay.html" "$tmp/b/replay.html" || say "two runs wrote different replay.html"
  [[ -s $tmp/b/replay.html && ! -e $tmp/b/kpis.csv.tmp ]] || say "outputs incomplete"
  grep -q '<tr><td>S1</td><td>store</td><td>R1</td><td class="n">0</td><td class="n">20</td><td class="n">0</td></tr>' \
    "$tmp/a/replay.html" || say "replay.html does not show S1's 0 / 20 / 0 lost units"
  grep -q '<tr><td>close-lane</td><td>omnitwin</td><td>closure</td><td>2025-12-31T18:00:00Z</td><td>2026-01-02T00:00:00Z</td><td>2026-01-03 (the whole day)</td>' \
    "$tmp/a/replay.html" || say "replay.html does not list the closure record"
else
  say "tiny replay exited $?"
fi

# ---- 2. the sample network and its three feeds ---------------------------
feeds=()
for f in data/disruptions/*.xml; do feeds+=(--disruptions "$f"); done
start=$(date +%s)
if "$bin" replay --network data/sample --events data/sample/events.csv "${feeds[@]}" \
     --from 2026-01-01 --to 2026-01-07 --horizon 7 --out "$tmp/s" > "$tmp/s.out"; then
  k=$tmp/s/kpis.csv
  rows=$(tail -n +2 "$k" | wc -l)
  [[ $rows == 18 && $(head -1 "$k") == scenario,metric,value ]] || say "kpis.csv has $rows rows"
  for sc in baseline unforeseen foreseen; do
    for m in fill_rate lost_units transport_cost holding_cost late_shipments stockout_days; do
      grep -q "^$sc,$m,[0-9.]*$" "$k" || say "kpis.csv lacks $sc,$m"
    done
  done
  get() { awk -F, -v s="$1" -v m="$2" '$1 == s && $2 == m { print $3 }' "$k"; }
  awk -v f="$(get foreseen lost_units)" -v u="$(get unforeseen lost_units)" 'BEGIN { exit !(f <= u) }' ||
    say "foreseen lost $(get foreseen lost_units) > unforeseen lost $(get unforeseen lost_units)"
  awk -v b="$(get baseline lost_units)" -v u="$(get unforeseen lost_units)" 'BEGIN { exit !(b < u) }' ||
    say "the disruption cost nothing: baseline $(get baseline lost_units), unforeseen $(get unforeseen lost_units)"
  [[ $(get baseline late_shipments) == 0 && $(get unforeseen late_shipments) -gt 0 ]] ||
    say "late shipments: baseline $(get baseline late_shipments), unforeseen $(get unforeseen late_shipments)"
  h=$tmp/s/replay.html
  for want in '<svg' 'fill rate' 'lost units' 'foresight saved' 'disruption cost' unforeseen foreseen baseline \
              'Where demand was lost' '<td>store</td>' '</html>'; do
    grep -q -- "$want" "$h" || say "replay.html lacks '$want'"
  done
  grep -qiE '<script|https?://' "$h" && say "replay.html is not self-contained"
  echo "sample replay: $(( $(date +%s) - start )) s; $(grep 'plans solved' "$tmp/s.out")"
else
  say "sample replay exited $?"
fi

# ---- 3. bad input and usage ----------------------------------------------
expect() { # status stderr-pattern args...
  local want=$1 pat=$2
  shift 2
  rm -rf "$tmp/bad"
  "$bin" replay "$@" --out "$tmp/bad" > /dev/null 2> "$tmp/err"
  local got=$?
  [[ $got == "$want" ]] || say "exit $got (expected $want) for: $*"
  grep -q -- "$pat" "$tmp/err" || say "no '$pat' on stderr for: $* ($(head -3 "$tmp/err"))"
  [[ ! -e $tmp/bad ]] || [[ $want == 0 ]] || say "something was written for: $*"
}
expect 65 "--from '2026-13-01' is not a date" "${tiny[@]}" --from 2026-13-01 --to 2026-01-05
expect 65 "is after --to" "${tiny[@]}" --from 2026-01-05 --to 2026-01-01
expect 65 "is not inside the demand history 2025-12-04..2026-01-05" \
  "${tiny[@]}" --from 2026-01-01 --to 2026-01-10
expect 65 "not inside the demand history" "${tiny[@]}" --from 2025-11-01 --to 2025-12-10
expect 65 "no-such-dir" --network "$dir/no-such-dir" --events "$dir/events.csv" \
  --disruptions "$dir/closure.xml" --from 2026-01-01 --to 2026-01-05
expect 65 "record 'close-lane': lane 'SUP->NOPE' is not a route" --network "$dir/net" \
  --events "$dir/events.csv" --disruptions "$dir/bad-lane.xml" --from 2026-01-01 --to 2026-01-05
expect 64 "Kafka event source is not built" "${tiny[@]}" --brokers 127.0.0.1:9092 \
  --from 2026-01-01 --to 2026-01-05
expect 64 "--events FILE is required" --network "$dir/net" --disruptions "$dir/closure.xml" \
  --from 2026-01-01 --to 2026-01-05
expect 64 "--horizon '0'" "${tiny[@]}" --horizon 0 --from 2026-01-01 --to 2026-01-05
"$bin" replay --help | grep -q 'usage: omnitwin replay' || say "--help"

(( fail == 0 )) && echo "replay: all checks passed"
exit $fail
