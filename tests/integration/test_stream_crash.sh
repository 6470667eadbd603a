#!/usr/bin/env bash
# Exactly once across crashes: while kcat produces events live, omnitwin
# stream is killed with SIGKILL at 6 random instants (and stopped once with
# SIGTERM) and restarted on the same --state; the final twin equals the
# batch twin of the same events, and every message was counted once.
set -euo pipefail
source "$(dirname "$0")/../../scripts/kafka/testlib.sh"
setup_work

gen_network "$work/net" 8 40
gen_events "$work/net" 120000 23 5
want=$(batch_digest "$work/net")
p=$(fresh_prefix)

# Live production: 12 chunks per topic, a pause between them.
split -n l/12 -d "$work/net/stock.kv" "$work/stock."
split -n l/12 -d "$work/net/orders.kv" "$work/orders."
(
  for i in $(seq -w 0 11); do
    produce "$p.stock" "$work/stock.$i"; produce "$p.orders" "$work/orders.$i"; sleep 0.6
  done
) &
producer=$!
pids+=("$producer")

stream() {  # exec: $! must be omnitwin itself, not a subshell
  exec "$OMNITWIN_BIN" stream --brokers "$brokers" --group "g-$p" --topic-prefix "$p" \
    --network "$work/net" --state "$work/state" -X group.instance.id="crash-$p" \
    --checkpoint-events 3000 --checkpoint-interval 0.2 --status-interval 1 "$@"
}

RANDOM=$$
for round in 1 2 3 4 5 6 7; do
  stream >> "$work/log" 2>&1 &
  pid=$!; pids+=("$pid")
  delay=$(awk -v r=$RANDOM 'BEGIN { printf "%.2f", 0.6 + r / 32767 * 1.6 }')
  sleep "$delay"
  if (( round == 4 )); then
    kill -TERM "$pid"; set +e; wait "$pid"; rc=$?; set -e
    [[ $rc == 0 ]] || { echo "FAIL: SIGTERM stop exited $rc"; tail -20 "$work/log"; exit 1; }
    echo "round $round: SIGTERM after ${delay}s, clean exit"
  else
    kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
    echo "round $round: SIGKILL after ${delay}s"
  fi
done
wait "$producer"

out=$(stream --idle-exit 3 --print-digest 2>> "$work/log")
got=$(digest_of "$out")
grep -E 'resumed from|done:' "$work/log" | tail -4
echo "batch $want stream $got"
[[ $got == "$want" ]] || { echo "FAIL: the twin after crashes differs from the batch twin"; exit 1; }
# Every message counted exactly once over all runs: the last resume's
# message count plus what the last run read is the number produced.
last=$(grep 'resumed from' "$work/log" | tail -1 | sed 's/.*: \([0-9]*\) messages.*/\1/')
final=$(grep 'done:' "$work/log" | tail -1 | sed 's/.*done: \([0-9]*\) messages.*/\1/')
echo "messages: $last before the last run + $final in it"
(( last + final == 120000 )) || { echo "FAIL: $((last + final)) messages counted, 120000 produced"; exit 1; }
kills=$(grep -c 'resumed from' "$work/log" || true)
(( kills >= 6 )) || { echo "FAIL: only $kills restarts resumed from a checkpoint"; exit 1; }
echo "ok"
