#!/usr/bin/env bash
# Runs every tests/integration/test_*.sh against the omnitwin binary given
# as $1. When any test needs Kafka (its name contains "kafka" or "stream"),
# a real broker is started with scripts/kafka-up.sh first and always
# stopped afterwards. Prints "N passed, N failed".
set -uo pipefail
bin=$(readlink -f "${1:-build/omnitwin}")
cd "$(dirname "$0")/../.."
export OMNITWIN_BIN=$bin

tests=(tests/integration/test_*.sh)
[[ -e ${tests[0]} ]] || { echo "0 passed, 0 failed"; exit 0; }

need_kafka=0
for t in "${tests[@]}"; do
  [[ $t == *kafka* || $t == *stream* ]] && need_kafka=1
done
if (( need_kafka )) && [[ -x scripts/kafka-up.sh ]]; then
  trap 'scripts/kafka-down.sh >/dev/null 2>&1 || true' EXIT
  scripts/kafka-up.sh || { echo "integration: could not start the Kafka broker"; echo "0 passed, 1 failed"; exit 1; }
fi

logs=build/integration-logs
mkdir -p "$logs"
passed=0 failed=0
for t in "${tests[@]}"; do
  start=$(date +%s)
  log=$logs/$(basename "$t").log
  if bash "$t" > "$log" 2>&1; then
    echo "PASS $t ($(( $(date +%s) - start ))s)"
    passed=$((passed + 1))
  else
    echo "FAIL $t ($(( $(date +%s) - start ))s); its output:"
    sed 's/^/    /' "$log" | tail -40
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
(( failed == 0 ))
