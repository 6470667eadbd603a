#!/usr/bin/env bash
# The broker is stopped and restarted while omnitwin stream runs: it waits
# (within its retry budget), resumes, and the twin equals the batch twin —
# nothing lost, nothing counted twice.
set -euo pipefail
source "$(dirname "$0")/../../scripts/kafka/testlib.sh"
setup_work
# Whatever happens, leave a running broker for the tests after this one.
trap 'for _p in "${pids[@]}"; do kill -9 "$_p" 2>/dev/null || true; done
      "$root/scripts/kafka-up.sh" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

gen_network "$work/net" 6 30
gen_events "$work/net" 60000 31 4
want=$(batch_digest "$work/net")
p=$(fresh_prefix)
split -n l/2 -d "$work/net/stock.kv" "$work/stock."
split -n l/2 -d "$work/net/orders.kv" "$work/orders."
produce "$p.stock" "$work/stock.00"; produce "$p.orders" "$work/orders.00"
first=$(( $(cat "$work/stock.00" "$work/orders.00" | wc -l) ))

"$OMNITWIN_BIN" stream --brokers "$brokers" --group "g-$p" --topic-prefix "$p" \
  --network "$work/net" --state "$work/state" --retry-budget 120 --status-interval 1 \
  --checkpoint-interval 0.5 -X reconnect.backoff.max.ms=1000 --print-digest \
  > "$work/out" 2> "$work/log" &
pid=$!; pids+=("$pid")

wait_for_messages() {  # N TIMEOUT: until the status line reports N messages
  for _ in $(seq $(( $2 * 5 ))); do
    n=$(sed -n 's/^stream: \([0-9]*\) messages.*/\1/p' "$work/log" | tail -1)
    [[ -n $n ]] && (( n >= $1 )) && return 0
    kill -0 "$pid" || { echo "FAIL: stream exited"; cat "$work/log"; exit 1; }
    sleep 0.2
  done
  echo "FAIL: stream did not reach $1 messages within $2 s (at ${n:-0})"; tail -20 "$work/log"; exit 1
}
wait_for_messages "$first" 60
echo "first half applied ($first messages); restarting the broker"
"$root/scripts/kafka-down.sh"
sleep 2
"$root/scripts/kafka-up.sh" >/dev/null
produce "$p.stock" "$work/stock.01"; produce "$p.orders" "$work/orders.01"
wait_for_messages 60000 90
kill -TERM "$pid"; wait "$pid"; rc=$?
got=$(digest_of "$(cat "$work/out")")
grep -E 'brokers|revoked|assigned|done:' "$work/log" | cut -c1-160
echo "batch $want stream $got (exit $rc)"
[[ $rc == 0 && $got == "$want" ]] || { echo "FAIL: twin differs after a broker restart"; exit 1; }
grep -q 'done: 60000 messages' "$work/log" || { echo "FAIL: messages lost or doubled"; exit 1; }
echo "ok"
