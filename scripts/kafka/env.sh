# Sourced by scripts/kafka-up.sh, kafka-down.sh and kafka/topics.sh: where
# the development broker lives. KAFKA_PORT (default 9092) is the client
# port, the KRaft controller listens on KAFKA_PORT+1; data, logs and the pid
# file are in build/kafka-data (build/kafka-data-PORT for another port, so
# that two brokers never share a directory). The jars are fetched by
# kafka-up.sh into build/kafka/lib-VERSION.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
port=${KAFKA_PORT:-9092}
if ! [[ $port =~ ^[0-9]+$ ]] || (( port < 1024 || port > 65534 )); then
  echo "kafka: KAFKA_PORT '$port' is not a port number (expected 1024..65534)" >&2
  exit 2
fi
controller_port=$((port + 1))
if [[ $port == 9092 ]]; then data=$root/build/kafka-data; else data=$root/build/kafka-data-$port; fi
# The jars of the version in scripts/kafka/pom.xml, one directory a version
# so that changing it never swaps the classpath of a running broker.
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$root/scripts/kafka/pom.xml")
lib=$root/build/kafka/lib-$kafka_version
pidfile=$data/broker.pid
brokers=127.0.0.1:$port

# broker_pid: prints the pid of our running broker, or fails.
broker_pid() {
  [[ -f $pidfile ]] || return 1
  local pid
  pid=$(cat "$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against a recycled pid: it must be our java with our config.
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "kafka.Kafka $data/server.properties" || return 1
  echo "$pid"
}

# broker_answers: true when the broker returns metadata within 5 s.
broker_answers() {
  kcat -b "$brokers" -L -m 5 2>/dev/null | grep -q '1 brokers:'
}

# kafka_java CLASS ARGS...: runs a Kafka tool class on the broker's classpath.
kafka_java() {
  java -Xmx256m -XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile="$root/scripts/kafka/log4j2-tools.properties" \
       -cp "$lib/*" "$@"
}
