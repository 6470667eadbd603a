#!/usr/bin/env bash
# omnitwin stream against the real broker: events produced by kcat (CSV and
# JSON values) give the same twin digest as the batch path (validate) on the
# same events; a restart on the same --state reads nothing again; bad usage
# exits 64 and an unreachable broker 69.
set -euo pipefail
source "$(dirname "$0")/../../scripts/kafka/testlib.sh"
setup_work

gen_network "$work/net" 8 40
gen_events "$work/net" 30000 11 7        # every 7th value as JSON
want=$(batch_digest "$work/net")
[[ $want =~ ^[0-9a-f]{16}$ ]] || { echo "no batch digest"; exit 1; }

p=$(fresh_prefix)
produce "$p.stock" "$work/net/stock.kv"
produce "$p.orders" "$work/net/orders.kv"

run() { "$OMNITWIN_BIN" stream --brokers "$brokers" --group "g-$p" --topic-prefix "$p" \
          --state "$work/state" --idle-exit 2 --print-digest "$@" 2> >(tee -a "$work/err" >&2); }
out=$(run --network "$work/net")
got=$(digest_of "$out")
echo "batch $want stream $got"
[[ $got == "$want" ]] || { echo "FAIL: streamed twin differs from the batch twin"; exit 1; }
grep -q 'done: 30000 messages' "$work/err" || { echo "FAIL: expected 30000 messages"; exit 1; }
[[ -s $work/state/checkpoint.otc ]] || { echo "FAIL: no checkpoint written"; exit 1; }

# Restart: the checkpoint holds twin and offsets; nothing is read twice.
: > "$work/err"
out=$(run)
[[ $(digest_of "$out") == "$want" ]] || { echo "FAIL: digest changed after restart"; exit 1; }
grep -q 'resumed from' "$work/err" && grep -q 'done: 0 messages' "$work/err" ||
  { echo "FAIL: the restart re-read messages"; exit 1; }

# A corrupt checkpoint is refused with exit 65, not guessed around.
cp "$work/state/checkpoint.otc" "$work/good.otc"
printf 'X' | dd of="$work/state/checkpoint.otc" bs=1 seek=100 conv=notrunc 2>/dev/null
set +e
"$OMNITWIN_BIN" stream --brokers "$brokers" --topic-prefix "$p" --state "$work/state" 2> "$work/err"; rc=$?
set -e
[[ $rc == 65 ]] && grep -q 'corrupt checkpoint: checksum mismatch' "$work/err" ||
  { echo "FAIL: corrupt checkpoint gave $rc"; cat "$work/err"; exit 1; }

# Usage errors: 64 with a reason.
set +e
"$OMNITWIN_BIN" stream --network "$work/net" 2> "$work/err"; rc1=$?
"$OMNITWIN_BIN" stream --brokers "$brokers" --network "$work/net" --idle-exit abc 2>> "$work/err"; rc2=$?
"$OMNITWIN_BIN" stream --brokers "$brokers" --network "$work/net" -X nosuch.property=1 \
    --topic-prefix "$p" 2>> "$work/err"; rc3=$?
# An unreachable broker: exit 69 once the retry budget (2 s) is spent.
start=$(date +%s)
"$OMNITWIN_BIN" stream --brokers 127.0.0.1:1 --network "$work/net" --retry-budget 2 2>> "$work/err"; rc4=$?
took=$(( $(date +%s) - start ))
set -e
echo "exit statuses: $rc1 $rc2 $rc3 $rc4 (unreachable after ${took}s)"
[[ $rc1 == 64 && $rc2 == 64 && $rc3 == 64 && $rc4 == 69 ]] || { cat "$work/err"; exit 1; }
(( took <= 10 )) || { echo "FAIL: the retry budget was not honoured"; exit 1; }
grep -q -- '--brokers HOST:PORT is required' "$work/err"
grep -q -- "--idle-exit 'abc' is not a number of seconds" "$work/err"
grep -q 'nosuch.property' "$work/err"
grep -q 'brokers 127.0.0.1:1 unreachable' "$work/err"
"$OMNITWIN_BIN" stream --help | grep -q -- '--state DIR'
echo "ok"
