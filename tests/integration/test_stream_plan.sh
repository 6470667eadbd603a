#!/usr/bin/env bash
# Plans from the stream: 'plan' on P.control makes orders on
# P.transfer-orders (key order_id, value the orders.csv record, the same
# plan id as `omnitwin plan` on the same events); a malformed control
# message is a dead letter. Then, with plan requests arriving while the
# process is killed with SIGKILL at random instants and restarted: every
# request is answered, no order_id appears twice on the topic (transactions
# plus done-markers), and the twin equals the batch twin.
set -euo pipefail
source "$(dirname "$0")/../../scripts/kafka/testlib.sh"
setup_work

gen_network "$work/net" 4 10
gen_events "$work/net" 6000 9 0
want=$(batch_digest "$work/net")
"$OMNITWIN_BIN" plan --network "$work/net" --events "$work/net/events.csv" --out "$work/batch" --quiet
batch_plan=$(sed -n '2s/^[^,]*,\([^,]*\),.*/\1/p' "$work/batch/orders.csv")

# --- A: one plan, compared with the batch plan -------------------------------
p=$(fresh_prefix)
produce "$p.stock" "$work/net/stock.kv"
produce "$p.orders" "$work/net/orders.kv"
"$OMNITWIN_BIN" stream --brokers "$brokers" --group "g-$p" --topic-prefix "$p" \
  --network "$work/net" --state "$work/state-a" --status-interval 0.5 --idle-exit 60 \
  > /dev/null 2> "$work/log-a" &
pids+=($!)
for _ in $(seq 150); do grep -q '^stream: 6000 messages' "$work/log-a" && break; sleep 0.2; done
printf 'plan\nplan as_of=31-01-2025\n' | kcat -P -b "$brokers" -t "$p.control"
for _ in $(seq 150); do grep -q '^stream: plan P' "$work/log-a" && break; sleep 0.2; done
sleep 1
kill -TERM "${pids[0]}"; wait "${pids[0]}"; pids=()
grep -E '^stream: (plan|plans|done)' "$work/log-a"
kcat -C -b "$brokers" -t "$p.transfer-orders" -e -q -f '%k|%s\n' > "$work/orders-a"
n=$(wc -l < "$work/orders-a")
echo "stream plan: $n orders; batch plan $batch_plan: $(( $(wc -l < "$work/batch/orders.csv") - 1 )) orders"
(( n > 0 )) || { echo "FAIL: no orders on the topic"; exit 1; }
awk -F'|' -v plan="$batch_plan" '{
    split($2, f, ",")
    if ($1 != f[1] || f[2] != plan || length(f) != 9 || f[7] !~ /^[0-9]+$/) { print "bad record: " $0; bad = 1 }
  } END { exit bad }' "$work/orders-a" || { echo "FAIL: records differ from orders.csv rows"; exit 1; }
[[ -z $(cut -d'|' -f1 "$work/orders-a" | sort | uniq -d) ]] || { echo "FAIL: duplicate order ids"; exit 1; }
kcat -C -b "$brokers" -t "$p.deadletter" -e -q -f '%h\n' | grep -q "control message 'plan as_of=31-01-2025' is not a command" ||
  { echo "FAIL: the malformed control message is not a dead letter"; exit 1; }

# --- B: plan requests while the process is killed ------------------------------
p=$(fresh_prefix)
split -n l/6 -d "$work/net/stock.kv" "$work/stock."
split -n l/6 -d "$work/net/orders.kv" "$work/orders."
stream() {  # exec: $! must be omnitwin itself
  exec "$OMNITWIN_BIN" stream --brokers "$brokers" --group "g-$p" --topic-prefix "$p" \
    --network "$work/net" --state "$work/state-b" -X group.instance.id="plan-$p" \
    --checkpoint-interval 0.3 --status-interval 1 "$@"
}
stream >> "$work/log-b" 2>&1 &
pid=$!; pids+=("$pid")
for _ in $(seq 100); do grep -q '^stream: assigned' "$work/log-b" && break; sleep 0.2; done
(
  for i in 0 1 2 3 4 5; do
    produce "$p.stock" "$work/stock.0$i"; produce "$p.orders" "$work/orders.0$i"
    echo "plan as_of=2025-02-0$((i + 1))" | kcat -P -b "$brokers" -t "$p.control"
    sleep 1.5
  done
) &
producer=$!; pids+=("$producer")
RANDOM=$$
round=0
while kill -0 "$producer" 2>/dev/null || (( round < 6 )); do
  round=$((round + 1))
  sleep "$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 1.5 + r / 32767 * 3.5 }')"
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
  echo "round $round: SIGKILL"
  stream >> "$work/log-b" 2>&1 &
  pid=$!; pids+=("$pid")
done
wait "$producer"
sleep 2
kill -TERM "$pid"; wait "$pid" || { echo "FAIL: the last run failed"; tail -30 "$work/log-b"; exit 1; }
out=$(stream --idle-exit 3 --print-digest 2>> "$work/log-b")
grep -E '^stream: (plan |plans:|plan request)' "$work/log-b" | cut -c1-150
echo "runs that found a plan answered before their restart: $(grep -c 'answered before the restart' "$work/log-b" || true)"
kcat -C -b "$brokers" -t "$p.transfer-orders" -e -q -f '%k %s\n' > "$work/orders-b"
dups=$(cut -d' ' -f1 "$work/orders-b" | sort | uniq -d | wc -l)
# Each request is answered by exactly one committed transaction, whose
# done-marker names the request's offset.
kcat -C -b "$brokers" -t "$p.control" -e -q | grep '^planned ' > "$work/markers" || true
markers=$(wc -l < "$work/markers")
answered=$(sed 's/.* offset=\([0-9]*\) .*/\1/' "$work/markers" | sort -u | wc -l)
echo "orders $(wc -l < "$work/orders-b"), duplicate order ids $dups, done-markers $markers for $answered requests"
(( dups == 0 )) || { echo "FAIL: an order_id appears twice on the topic"; exit 1; }
(( markers == 6 && answered == 6 )) || { echo "FAIL: expected 6 plan requests answered once each"; exit 1; }
[[ $(digest_of "$out") == "$want" ]] || { echo "FAIL: the twin differs from the batch twin"; exit 1; }
echo "ok"
