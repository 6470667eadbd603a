#!/usr/bin/env bash
# Two omnitwin stream processes in one consumer group split the partitions:
# while both run, every partition of P.stock and P.orders is owned by
# exactly one of them (each instance keeps its own twin and checkpoint).
set -euo pipefail
source "$(dirname "$0")/../../scripts/kafka/testlib.sh"
setup_work

gen_network "$work/net" 6 30
gen_events "$work/net" 20000 41 0
p=$(fresh_prefix)
produce "$p.stock" "$work/net/stock.kv"
produce "$p.orders" "$work/net/orders.kv"

for i in a b; do
  "$OMNITWIN_BIN" stream --brokers "$brokers" --group "g-$p" --topic-prefix "$p" \
    --network "$work/net" --state "$work/state-$i" --status-interval 1 > /dev/null 2> "$work/log-$i" &
  pids+=($!)
done
# Wait until both own partitions and everything is consumed (lag 0 on both).
settled=0
for _ in $(seq 150); do
  a=$(grep '^stream: assigned' "$work/log-a" | tail -1) || true
  b=$(grep '^stream: assigned' "$work/log-b" | tail -1) || true
  if [[ $a == *:* && $b == *:* && $a != *nothing* && $b != *nothing* ]] &&
     tail -1 "$work/log-a" | grep -q 'lag 0,' && tail -1 "$work/log-b" | grep -q 'lag 0,'; then
    settled=1; break
  fi
  sleep 0.2
done
(( settled )) || { echo "FAIL: the group did not settle"; tail -5 "$work/log-a" "$work/log-b"; exit 1; }
sleep 1.5   # one more status line after the last rebalance
kill -TERM "${pids[@]}"
wait "${pids[0]}"; wait "${pids[1]}"
pids=()
own_a=$(sed -n 's/^stream: owned at exit: //p' "$work/log-a")
own_b=$(sed -n 's/^stream: owned at exit: //p' "$work/log-b")
echo "a owns: $own_a"
echo "b owns: $own_b"
all=$(printf '%s\n' $own_a $own_b | sort)
expected=$(for t in orders stock; do for q in 0 1 2 3; do echo "$p.$t:$q"; done; done | sort)
[[ $all == "$expected" ]] || { echo "FAIL: partitions not owned exactly once"; exit 1; }
[[ -n $own_a && -n $own_b && $own_a != *nothing* && $own_b != *nothing* ]] || { echo "FAIL: one instance owned nothing"; exit 1; }
echo "ok"
