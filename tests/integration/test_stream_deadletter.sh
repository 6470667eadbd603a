#!/usr/bin/env bash
# Malformed messages go to P.deadletter with headers reason, source.topic,
# source.partition and source.offset; the good messages around them are all
# applied (the twin equals the batch twin of the good events).
set -euo pipefail
source "$(dirname "$0")/../../scripts/kafka/testlib.sh"
setup_work

gen_network "$work/net" 4 10
gen_events "$work/net" 2000 5 3
want=$(batch_digest "$work/net")
p=$(fresh_prefix)

long=$(head -c 70000 /dev/zero | tr '\0' 'x')
{
  head -n 300 "$work/net/orders.kv"
  printf 'SKU0001\te-bad-1,2025-01-02T00:00:00Z,teleport,ST001,SKU0001,1,\n'      # unknown type
  printf 'SKU0001\te-bad-2,2025-01-02T00:00:00Z,sale,ST001,NOPE,1,\n'             # unknown SKU
  printf 'SKU0001\t{"event_id": "e-bad-3", "ts": 5}\n'                            # JSON, wrong types
  printf 'SKU0001\t{"event_id": "e-bad-4",\n'                                     # broken JSON
  printf 'SKU0001\te-bad-5,2025-01-02,sale,DC1,SKU0001,1,\n'                      # sale at a DC
  printf 'SKU0001\tonly,three,fields\n'                                           # 3 fields
  printf 'SKU0001\t%s\n' "$long"                                                  # too long
  tail -n +301 "$work/net/orders.kv"
} > "$work/orders.kv"
produce "$p.stock" "$work/net/stock.kv"
produce "$p.orders" "$work/orders.kv"

out=$("$OMNITWIN_BIN" stream --brokers "$brokers" --group "g-$p" --topic-prefix "$p" \
        --network "$work/net" --idle-exit 2 --print-digest 2> "$work/err")
got=$(digest_of "$out")
echo "batch $want stream $got"
[[ $got == "$want" ]] || { echo "FAIL: good events lost or bad ones applied"; cat "$work/err"; exit 1; }
grep -q '7 dead letters' "$work/err" || { echo "FAIL: expected 7 dead letters"; cat "$work/err"; exit 1; }

kcat -C -b "$brokers" -t "$p.deadletter" -e -q -f '%h|%k|%s\n' > "$work/dead" 2>/dev/null
cut -c1-200 "$work/dead"
[[ $(wc -l < "$work/dead") == 7 ]] || { echo "FAIL: 7 dead letters expected on the topic"; exit 1; }
check() { grep -q -- "$1" "$work/dead" || { echo "FAIL: no dead letter matching: $1"; exit 1; }; }
check "reason=type 'teleport' is unknown"
check "reason=sku 'NOPE' is not in skus.csv"
check 'reason=JSON member "ts" is of the wrong type'
check 'reason=invalid JSON'
check "reason=sale at dc 'DC1' (expected a store node)"
check 'reason=message value of 70000 bytes is too long'
grep -q 'e-bad-1' "$work/dead"
# Source coordinates: the 301st message of the orders topic is e-bad-1.
line=$(grep 'e-bad-1' "$work/dead")
[[ $line == *"source.topic=$p.orders"* && $line == *source.partition=* && $line == *source.offset=* ]] ||
  { echo "FAIL: source headers missing: $line"; exit 1; }
part=$(sed 's/.*source.partition=\([0-9]*\).*/\1/' <<<"$line")
off=$(sed 's/.*source.offset=\([0-9]*\).*/\1/' <<<"$line")
src=$(kcat -C -b "$brokers" -t "$p.orders" -p "$part" -o "$off" -c 1 -e -q -f '%s\n')
[[ $src == e-bad-1,* ]] || { echo "FAIL: source offset $part/$off holds '$src'"; exit 1; }
echo "ok"
