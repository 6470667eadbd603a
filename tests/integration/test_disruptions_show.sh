#!/usr/bin/env bash
# `omnitwin disruptions show`: resolved factors as CSV for the three dialects
# on the disruption test network, exit statuses, and hostile feeds refused
# with nothing on stdout. Expected lines are worked out in
# tests/check_disruption_xml.c (test_load_end_to_end).
set -uo pipefail
bin=${OMNITWIN_BIN:?}
d=tests/data/disruptions
fail=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
check() { # description, condition result
  if [[ $2 -eq 0 ]]; then echo "ok $1"; else echo "FAIL $1"; fail=1; fi
}

out=$("$bin" disruptions show $d/cap-storm.xml $d/cap-update.xml $d/datex.xml $d/own-ok.xml \
        --network $d/net --effects $d/effects.csv --from 2026-01-01 --to 2026-01-07 2>"$err")
rc=$?
check "show exits 0" $rc
for line in \
  'date,scope,target,item,factor,value' \
  '2026-01-02,node,S2,,closed,1' \
  '2026-01-02,node,S2,category=food,demand,0.2' \
  '2026-01-03,node,S1,,closed,1' \
  '2026-01-03,lane,DC1->S1,,capacity,0' \
  '2026-01-01,lane,DC1->S1,,capacity,0.7' \
  '2026-01-01,lane,DC1->S1,,lead_time_days,2' \
  '2026-01-03,lane,DC1->S2,,capacity,0.5' \
  '2026-01-07,lane,SUP1->DC1,,lead_time_days,13' \
  '2026-01-05,node,S3,category=food,demand,1.3' \
  '2026-01-05,node,S3,sku=B,demand,1.3' \
  '2026-01-07,lane,DC1->S3,,capacity,0.4' \
  '2026-01-07,lane,DC1->S3,,lead_time_days,4'; do
  grep -qxF -- "$line" <<<"$out"; check "line $line" $?
done
# nothing for days without disruption, nothing for C at S3 on 01-05
! grep -q 'sku=C' <<<"$out"; check "no line for SKU C" $?
[[ $(grep -c '^2026-01-04,node' <<<"$out") -eq 0 ]]; check "no node factor on 2026-01-04" $?
grep -q 'records applied, 2 withdrawn' "$err"; check "summary on stderr" $?

# the bundled examples against the same network fail cleanly: they name
# nodes of data/sample, not of this network
out=$("$bin" disruptions show data/disruptions/omnitwin-feed.xml --network $d/net 2>&1 >/dev/null)
[[ $? -eq 65 && $out == *"record 'close-S0001': node 'S0001' is not in the network"* ]]
check "unknown node in own feed: exit 65" $?

for f in xxe.xml billion-laughs.xml wrong-namespace.xml bad-utf8.xml oversized-attr.xml deep.xml; do
  stdout=$("$bin" disruptions show $d/$f --network $d/net --effects $d/effects.csv 2>/dev/null)
  rc=$?
  [[ $rc -eq 65 && -z $stdout ]]; check "$f refused (exit $rc, stdout empty)" $?
done

"$bin" disruptions --help | grep -q 'usage: omnitwin disruptions show'; check "--help" $?
"$bin" disruptions show --help >/dev/null; check "show --help exits 0" $?
"$bin" disruptions show $d/own-ok.xml >/dev/null 2>&1; [[ $? -eq 64 ]]; check "no --network: 64" $?
"$bin" disruptions show --network $d/net >/dev/null 2>&1; [[ $? -eq 64 ]]; check "no feed: 64" $?
"$bin" disruptions show $d/own-ok.xml --network $d/net --from 2026-02-30 >/dev/null 2>&1
[[ $? -eq 64 ]]; check "bad --from: 64" $?
"$bin" disruptions frob >/dev/null 2>&1; [[ $? -eq 64 ]]; check "unknown action: 64" $?
exit $fail
