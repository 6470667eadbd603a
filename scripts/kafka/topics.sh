#!/usr/bin/env bash
# scripts/kafka/topics.sh [PREFIX [PARTITIONS]]: creates the omnitwin topics
# PREFIX.stock, PREFIX.orders, PREFIX.transfer-orders (PARTITIONS each,
# default 4), PREFIX.deadletter (2) and PREFIX.control (1: every instance
# reads all of it) on the development broker, when they do not exist yet.
# PREFIX defaults to "omnitwin". Integration tests use their own prefix so
# that each starts from empty topics.
set -euo pipefail
source "$(dirname "$0")/env.sh"
prefix=${1:-omnitwin}
parts=${2:-4}
[[ $prefix =~ ^[A-Za-z0-9._-]{1,200}$ ]] || { echo "topics: bad prefix '$prefix' (expected letters, digits, . _ -)" >&2; exit 2; }
[[ $parts =~ ^[0-9]+$ ]] && (( parts >= 1 && parts <= 64 )) || { echo "topics: bad partition count '$parts' (expected 1..64)" >&2; exit 2; }

existing=$(kcat -b "$brokers" -L -m 10 2>/dev/null | sed -n 's/^  topic "\([^"]*\)".*/\1/p')
wanted=("$prefix.stock:$parts" "$prefix.orders:$parts" "$prefix.transfer-orders:$parts"
        "$prefix.deadletter:2" "$prefix.control:1")
missing=()
for w in "${wanted[@]}"; do
  grep -qxF "${w%:*}" <<<"$existing" || missing+=("$w")
done
(( ${#missing[@]} == 0 )) && exit 0

# TopicCommand creates one topic per run (about 0.5 s each with C1 only).
for w in "${missing[@]}"; do
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$brokers" --create --if-not-exists \
    --topic "${w%:*}" --partitions "${w##*:}" --replication-factor 1 >/dev/null
done

# Wait until every topic has a leader for each partition (bounded: 30 s).
for _ in $(seq 60); do
  md=$(kcat -b "$brokers" -L -m 5 2>/dev/null || true)
  ok=1
  for w in "${wanted[@]}"; do
    n=$(awk -v t="${w%:*}" '$1=="topic" && $2=="\""t"\"" {print $4}' <<<"$md")
    [[ $n == "${w##*:}" ]] || ok=0
  done
  grep -q 'leader -1' <<<"$md" && ok=0
  (( ok )) && exit 0
  sleep 0.5
done
echo "topics: the topics of prefix '$prefix' did not become ready within 30 s" >&2
exit 1
