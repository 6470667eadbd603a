#!/usr/bin/env bash
# scripts/kafka-up.sh: starts the single-node KRaft Apache Kafka broker used
# for development and tests (docs/OPERATIONS.md) on 127.0.0.1:$KAFKA_PORT
# (default 9092) and creates the omnitwin topics. Idempotent: a running
# broker is reused. Fetches the broker jars with Maven on first use (cached
# in ~/.m2 and build/kafka/lib-VERSION). Stop it with scripts/kafka-down.sh.
# Exit 0 when the broker answers and the topics exist, 1 otherwise.
set -euo pipefail
source "$(dirname "$0")/kafka/env.sh"

# A fresh machine may lack the JVM and Maven (scripts/deps.sh installs the
# C side): install them the same way.
if ! command -v java >/dev/null || ! command -v mvn >/dev/null || ! command -v kcat >/dev/null; then
  if command -v apt-get >/dev/null; then
    echo "kafka-up: installing openjdk-17-jre-headless maven kcat" >&2
    SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      openjdk-17-jre-headless maven kcat >/dev/null 2>&1 ||
      { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
          --no-install-recommends openjdk-17-jre-headless maven kcat >/dev/null; } || true
  fi
fi
for tool in java mvn kcat; do
  command -v "$tool" >/dev/null || { echo "kafka-up: '$tool' not found (install openjdk-17-jre-headless, maven, kcat)" >&2; exit 1; }
done

# 1. The jars (topics.sh needs them too).
if ! compgen -G "$lib/kafka_2.13-*.jar" >/dev/null; then
  echo "kafka-up: fetching Apache Kafka $kafka_version from Maven Central into $lib" >&2
  mvn -q -B -f "$root/scripts/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$lib" -DincludeScope=runtime >&2
fi

if pid=$(broker_pid) && broker_answers; then
  echo "kafka-up: broker already running on $brokers (pid $pid)"
  exec "$root/scripts/kafka/topics.sh"
fi

# 2. The port must be free (another program, or a broker whose pid file is gone).
if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "kafka-up: 127.0.0.1:$port is already in use by another process (set KAFKA_PORT)" >&2
  exit 1
fi

# 3. Configuration and storage (formatted once; data survives restarts —
#    but not a change of Kafka version: development data only).
if [[ -d $data && $(cat "$data/kafka.version" 2>/dev/null) != "$kafka_version" ]]; then
  echo "kafka-up: $data was made by another Kafka version; starting from empty storage" >&2
  rm -rf "$data"
fi
mkdir -p "$data"
echo "$kafka_version" > "$data/kafka.version"
sed -e "s#@PORT@#$port#g" -e "s#@CONTROLLER_PORT@#$controller_port#g" -e "s#@DATA_DIR@#$data#g" \
    "$root/scripts/kafka/server.properties" > "$data/server.properties"
if [[ ! -f $data/logs/meta.properties ]]; then
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  kafka_java kafka.tools.StorageTool format --ignore-formatted \
      -t "$cluster_id" -c "$data/server.properties" >/dev/null
fi

# 4. Start, detached from this shell (setsid), small heap.
setsid java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
     -Dlog4j2.configurationFile="$root/scripts/kafka/log4j2.properties" -Dkafka.logs.dir="$data" \
     -cp "$lib/*" kafka.Kafka "$data/server.properties" \
     > "$data/broker.out" 2>&1 < /dev/null &
echo $! > "$pidfile"

# 5. Wait (bounded, 90 s) until it answers metadata requests.
for i in $(seq 180); do
  if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "kafka-up: the broker exited during start; last lines of its logs:" >&2
    tail -20 "$data/broker.out" "$data/broker.log" >&2 2>/dev/null || true
    rm -f "$pidfile"
    exit 1
  fi
  broker_answers && break
  if (( i == 180 )); then
    echo "kafka-up: the broker did not answer on $brokers within 90 s (log: $data/broker.log)" >&2
    "$root/scripts/kafka-down.sh" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "kafka-up: Kafka $kafka_version running on $brokers (pid $(cat "$pidfile"), data $data)"
exec "$root/scripts/kafka/topics.sh"
