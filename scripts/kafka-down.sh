#!/usr/bin/env bash
# scripts/kafka-down.sh [--wipe]: stops the development broker that
# scripts/kafka-up.sh started on $KAFKA_PORT (default 9092): SIGTERM, a
# bounded wait for a clean shutdown (30 s), then SIGKILL. Idempotent: no
# broker, nothing to do. --wipe also deletes its data directory (topics,
# messages, committed offsets). Always exits 0 unless the broker survives.
set -uo pipefail
source "$(dirname "$0")/kafka/env.sh"

if pid=$(broker_pid); then
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka-down: broker $pid ignored SIGTERM for 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null
    sleep 1
  fi
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka-down: broker $pid is still running" >&2
    exit 1
  fi
  echo "kafka-down: broker $pid stopped"
fi
rm -f "$pidfile"
if [[ ${1:-} == --wipe ]]; then
  rm -rf "$data"
fi
exit 0
