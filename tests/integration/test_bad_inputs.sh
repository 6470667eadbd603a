#!/usr/bin/env bash
# Every folder in data/bad makes `omnitwin validate` exit 65 with the exact
# FILE:LINE message in its expected.txt; the valid fixtures exit 0.
set -uo pipefail
bin=${OMNITWIN_BIN:?}
fail=0
for dir in data/bad/*/; do
  dir=${dir%/}
  out=$("$bin" validate --network "$dir" --events "$dir/events.csv" 2>&1)
  rc=$?
  expected=$(cat "$dir/expected.txt")
  if [[ $rc -ne 65 ]]; then
    echo "FAIL $dir: exit $rc (expected 65)"; echo "$out"; fail=1
  elif ! grep -qF -- "$expected" <<<"$out"; then
    echo "FAIL $dir: message missing"; echo "  expected: $expected"; echo "$out" | sed 's/^/  got: /'; fail=1
  else
    echo "ok $dir"
  fi
done
for dir in tests/data/tiny tests/data/tiny_crlf; do
  if ! "$bin" validate --network "$dir" --events "$dir/events.csv" >/dev/null; then
    echo "FAIL $dir: a valid network was refused"; fail=1
  fi
done
# the same network with CRLF, a BOM and quoted fields is the same twin
a=$("$bin" validate --network tests/data/tiny --events tests/data/tiny/events.csv --print-digest | tail -1)
b=$("$bin" validate --network tests/data/tiny_crlf --events tests/data/tiny_crlf/events.csv --print-digest | tail -1)
[[ $a == "$b" ]] || { echo "FAIL: CRLF/BOM twin differs: $a vs $b"; fail=1; }
# usage errors
"$bin" validate >/dev/null 2>&1; [[ $? -eq 64 ]] || { echo "FAIL: validate without --network should exit 64"; fail=1; }
"$bin" validate --help | grep -q -- "--network DIR" || { echo "FAIL: validate --help"; fail=1; }
out=$("$bin" validate --network /nonexistent 2>&1); rc=$?
[[ $rc -eq 65 ]] && grep -q "/nonexistent/nodes.csv: cannot open" <<<"$out" || { echo "FAIL: missing dir: exit $rc, $out"; fail=1; }
# validate --disruptions: feeds are checked against the network
out=$("$bin" validate --network data/sample --disruptions data/disruptions/cap-winter-storm.xml \
      --disruptions data/disruptions/datex-situations.xml --disruptions data/disruptions/omnitwin-feed.xml)
[[ $? -eq 0 ]] && grep -q "feeds     3 files" <<<"$out" || { echo "FAIL: validate --disruptions: $out"; fail=1; }
out=$("$bin" validate --network data/sample --disruptions tests/data/disruptions/xxe.xml 2>&1); rc=$?
[[ $rc -eq 65 ]] && grep -q "xxe.xml:2: DOCTYPE declaration refused" <<<"$out" || { echo "FAIL: xxe feed: exit $rc, $out"; fail=1; }
exit $fail
