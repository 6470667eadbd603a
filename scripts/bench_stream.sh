#!/usr/bin/env bash
# scripts/bench_stream.sh OMNITWIN_BIN: events per second from the real
# broker into the twin (omnitwin stream) against kcat -C -e reading the same
# topic to /dev/null, alternating, in the same run. Prints Markdown.
#   BENCH_STREAM_EVENTS  events (default 2000000)
#   BENCH_STREAM_ROUNDS  rounds of each (default 3; medians are reported)
# Starts the development broker when none runs (and stops it afterwards).
set -euo pipefail
bin=$(readlink -f "${1:-build/omnitwin}")
cd "$(dirname "$0")/.."
export OMNITWIN_BIN=$bin
source scripts/kafka/testlib.sh
n=${BENCH_STREAM_EVENTS:-2000000}
rounds=${BENCH_STREAM_ROUNDS:-3}

work=$(mktemp -d)
started=0
trap 'drop_topics; rm -rf "$work"; if (( started )); then scripts/kafka-down.sh >/dev/null 2>&1 || true; fi' EXIT
if ! broker_pid >/dev/null || ! broker_answers; then
  started=1
  scripts/kafka-up.sh >&2
fi

gen_network "$work/net" 20 500
gen_events "$work/net" "$n" 3 0
p=$(fresh_prefix)
# Every event on one topic (4 partitions, key = SKU) so that kcat reads
# exactly what omnitwin reads.
cat "$work/net/stock.kv" "$work/net/orders.kv" > "$work/all.kv"
produce "$p.orders" "$work/all.kv"
kcat -C -b "$brokers" -t "$p.orders" -o beginning -e -q > /dev/null   # warm the page cache
want=$(batch_digest "$work/net")

now() { date +%s.%N; }
kc=() ot=() otw=()
for r in $(seq "$rounds"); do
  t0=$(now)
  kcat -C -b "$brokers" -t "$p.orders" -o beginning -e -q > /dev/null
  t1=$(now)
  kc+=("$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')")
  t0=$(now)
  out=$("$bin" stream --brokers "$brokers" --network "$work/net" --group "bench-$p-$r" \
          --topic-prefix "$p" --max-events "$n" --status-interval 0 --no-plans --print-digest \
          2> "$work/err")
  t1=$(now)
  [[ $(digest_of "$out") == "$want" ]] || { echo "bench_stream: the streamed twin differs from the batch twin" >&2; exit 1; }
  ot+=("$(sed -n 's/.* \([0-9]*\) messages\/s$/\1/p' "$work/err")")
  otw+=("$(awk -v n="$n" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mk=$(median "${kc[@]}"); mo=$(median "${ot[@]}"); mw=$(median "${otw[@]}")

# The same events as JSON objects (a quarter of them): what jansson costs.
nj=$((n / 4))
mkdir -p "$work/json"
cp "$work/net/"*.csv "$work/json/"
gen_events "$work/json" "$nj" 3 1
cat "$work/json/stock.kv" "$work/json/orders.kv" > "$work/json.kv"
pj=$(fresh_prefix)
produce "$pj.orders" "$work/json.kv"
js=()
for r in $(seq "$rounds"); do
  "$bin" stream --brokers "$brokers" --network "$work/net" --group "bench-$pj-$r" --topic-prefix "$pj" \
    --max-events "$nj" --status-interval 0 --no-plans 2> "$work/err" > /dev/null
  js+=("$(sed -n 's/.* \([0-9]*\) messages\/s$/\1/p' "$work/err")")
done
mj=$(median "${js[@]}")
echo
echo "$n events of ~55 bytes (CSV values, key = SKU) on one topic of 4 partitions;"
echo "twin of 22 nodes x 500 SKUs; $rounds alternating rounds, medians; load average $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| reader | events/s (median) | rounds |"
echo "| --- | --- | --- |"
echo "| kcat -C -e -o beginning > /dev/null (wall time, start-up included) | $mk | ${kc[*]} |"
echo "| omnitwin stream, first to last message (decode, parse, apply, offsets) | $mo | ${ot[*]} |"
echo "| omnitwin stream, whole process (load network, join group, consume) | $mw | ${otw[*]} |"
echo "| omnitwin stream, $nj JSON values (~150 bytes), first to last message | $mj | ${js[*]} |"
echo
awk -v a="$mo" -v b="$mk" 'BEGIN { printf "omnitwin / kcat = %.2f (target >= 0.8); omnitwin %s 1M events/s\n", a / b, (a >= 1000000) ? "at or above" : "below" }'
