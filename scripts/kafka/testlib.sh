# Helpers shared by tests/integration/test_stream_*.sh and
# scripts/bench_stream.sh (source it; needs bash). Everything runs against
# the development broker of scripts/kafka-up.sh on $KAFKA_PORT.
#
#   setup_work               $work, a temporary directory, and pids, an
#                            array of processes: at exit the processes are
#                            killed (SIGKILL) and $work is removed
#   fresh_prefix             a new topic prefix; creates its topics
#   gen_network DIR STORES SKUS
#   gen_events DIR N SEED [JSON_EVERY [COUNTS]]
#                            DIR/events.csv (batch, with header) and
#                            DIR/stock.kv, DIR/orders.kv ("sku<TAB>value"
#                            lines for kcat -K), every JSON_EVERY-th value
#                            as a JSON object (0: none); ~1% duplicates;
#                            COUNTS=1 adds stock counts (5%), which make the
#                            result depend on the order of stock vs order
#                            messages across topics (docs/OPERATIONS.md)
#   produce TOPIC FILE       produces FILE's key<TAB>value lines with kcat
#   batch_digest DIR         the digest of the batch path (validate)
#   digest_of TEXT           the hex digest in 'digest HEX' output
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
: "${OMNITWIN_BIN:=$root/build/omnitwin}"

setup_work() {
  work=$(mktemp -d)
  pids=()
  trap 'for _p in "${pids[@]}"; do kill -9 "$_p" 2>/dev/null || true; done
        drop_topics; rm -rf "$work"' EXIT
}

# fresh_prefix runs in $(...): it notes its prefix in a file, so that
# drop_topics (at exit) can delete the topics and the broker's data does
# not grow with every test run.
fresh_prefix() {
  local p="t$(date +%s%N | cut -c7-16)$RANDOM"
  "$root/scripts/kafka/topics.sh" "$p" 4 >&2 || return 1
  [[ -n ${work:-} ]] && echo "$p" >> "$work/.prefixes"
  echo "$p"
}

drop_topics() {
  [[ -s ${work:-}/.prefixes ]] || return 0
  local re
  re="($(paste -sd'|' "$work/.prefixes"))\\..*"
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$brokers" --delete \
    --if-exists --topic "$re" >/dev/null 2>&1 || true
}

gen_network() {
  local dir=$1 stores=$2 skus=$3
  mkdir -p "$dir"
  {
    echo "node_id,kind,region"
    echo "SUP1,supplier,north"
    echo "DC1,dc,north"
    for ((i = 1; i <= stores; i++)); do printf 'ST%03d,store,north\n' "$i"; done
  } > "$dir/nodes.csv"
  {
    echo "sku,category,unit_cost,holding_cost,stockout_cost,case_pack"
    for ((s = 1; s <= skus; s++)); do printf 'SKU%04d,grocery,2.50,0.01,1.00,6\n' "$s"; done
  } > "$dir/skus.csv"
  {
    echo "from,to,lead_time_days,cost_per_unit,capacity_per_day"
    echo "SUP1,DC1,3,0.10,"
    for ((i = 1; i <= stores; i++)); do printf 'DC1,ST%03d,1,0.05,\n' "$i"; done
  } > "$dir/routes.csv"
  {
    echo "node_id,sku,on_hand"
    for ((i = 1; i <= stores; i++)); do
      for ((s = 1; s <= skus; s++)); do printf 'ST%03d,SKU%04d,100\n' "$i" "$s"; done
    done
  } > "$dir/inventory.csv"
}

# Events over 30 days from 2025-01-01, timestamps rising with the line
# number (so counts and stale events are deterministic per SKU).
gen_events() {
  local dir=$1 n=$2 seed=$3 json_every=${4:-0} counts=${5:-0}
  local stores skus
  stores=$(($(wc -l < "$dir/nodes.csv") - 3))
  skus=$(($(wc -l < "$dir/skus.csv") - 1))
  awk -v n="$n" -v seed="$seed" -v stores="$stores" -v skus="$skus" -v je="$json_every" -v counts="$counts" \
      -v csv="$dir/events.csv" -v stock="$dir/stock.kv" -v orders="$dir/orders.kv" '
    BEGIN {
      srand(seed)
      print "event_id,ts,type,node_id,sku,qty,ref" > csv
      for (i = 1; i <= n; i++) {
        if (i > 10 && rand() < 0.01) {           # a re-delivered recent event
          k = (i - 1 - int(rand() * (i - 1 < 1000 ? i - 1 : 1000))) % 1024
          id = ids[k]; ts = tss[k]; ty = tys[k]; nd = nds[k]; sk = sks[k]; q = qs[k]
        } else {
          sec = int((i - 1) * 2592000 / n)
          ts = sprintf("2025-01-%02dT%02d:%02d:%02dZ", 1 + int(sec / 86400), int(sec % 86400 / 3600),
                       int(sec % 3600 / 60), sec % 60)
          r = rand()
          ty = r < 0.60 ? "sale" : r < 0.65 ? "online_order" : r < 0.70 ? "return" : \
               r < 0.85 ? "receipt" : (r < 0.95 || !counts) ? "adjust" : "count"
          nd = sprintf("ST%03d", int(rand() * stores) + 1)
          sk = sprintf("SKU%04d", int(rand() * skus) + 1)
          q = int(rand() * 5) + 1
          if (ty == "receipt") q = q * 6
          if (ty == "adjust" && rand() < 0.5) q = -q
          if (ty == "count") q = 80 + int(rand() * 40)
          id = sprintf("e%d-%d", seed, i)
        }
        k = i % 1024
        ids[k] = id; tss[k] = ts; tys[k] = ty; nds[k] = nd; sks[k] = sk; qs[k] = q
        rec = id "," ts "," ty "," nd "," sk "," q ","
        print rec > csv
        if (je > 0 && i % je == 0)
          val = sprintf("{\"event_id\":\"%s\",\"ts\":\"%s\",\"type\":\"%s\",\"node_id\":\"%s\",\"sku\":\"%s\",\"qty\":%d,\"ref\":null}", id, ts, ty, nd, sk, q)
        else
          val = rec
        out = (ty == "sale" || ty == "online_order" || ty == "return") ? orders : stock
        print sk "\t" val > out
      }
    }'
}

produce() {
  kcat -P -b "$brokers" -t "$1" -K $'\t' -X linger.ms=20 -X batch.num.messages=10000 \
       -X queue.buffering.max.messages=1000000 -l "$2"
}

batch_digest() {
  "$OMNITWIN_BIN" validate --network "$1" --events "$1/events.csv" --print-digest --quiet |
    sed -n 's/^digest \([0-9a-f]*\)$/\1/p'
}

digest_of() {
  sed -n 's/^digest \([0-9a-f]*\)$/\1/p' <<<"$1"
}
