#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft) built from the Maven Central jars: no Docker, no package.
#
#   kafka.sh fetch            download the broker jars once into .kafka/lib (skipped when present)
#   kafka.sh start [--keep-data]
#                             start a broker on 127.0.0.1:$KAFKA_PORT (default 9092) in the background and wait
#                             until it is ready; reuses a broker already answering on that port. Fresh storage
#                             every time unless --keep-data (then the data of the last broker on that port is
#                             reused: the broker-restart test needs it)
#   kafka.sh stop [--purge]   stop the broker this script started on $KAFKA_PORT (--purge also deletes its data)
#   kafka.sh status           exit 0 and print the pid when a broker answers on $KAFKA_PORT
#   kafka.sh acquire ID / release ID
#                             shared use by test runs (the Jest global setup, ID = its pid): acquire starts the
#                             broker if none answers and records a lease; release drops the lease and stops the
#                             broker only if a lease holder started it and no live lease holder remains. Several
#                             people run tests in one tree at once: nobody stops a broker another run still uses.
#
# Environment: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT + 1), KAFKA_VERSION, KAFKA_HEAP (512m),
# KAFKA_START_TIMEOUT seconds (60).
#
# Why 4.x: kafkajs 2.2.4 speaks only request versions that Kafka 4.x still accepts (checked by running the
# relay's integration tests against it), so we run the current broker line rather than the 3.9 fallback.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"
# The version Kafka 4.4.0 itself resolves for log4j-api/core; log4j-slf4j-impl binds its slf4j 1.7 API to it.
LOG4J_VERSION="${LOG4J_VERSION:-2.25.5}"
CACHE="$ROOT/.kafka"
LIB="$CACHE/lib"
STAMP="$LIB/.complete-$KAFKA_VERSION"
PORT="${KAFKA_PORT:-9092}"
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
RUN="$CACHE/run/$PORT"
HEAP="${KAFKA_HEAP:-512m}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-60}"

log() { echo "kafka.sh: $*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }

read_pid() { [[ -f "$RUN/pid" ]] && cat "$RUN/pid" || true; }

fetch() {
  if [[ -f "$STAMP" ]]; then return 0; fi
  command -v mvn >/dev/null || { log "mvn is required to fetch the broker jars"; exit 1; }
  mkdir -p "$CACHE"
  local work
  work="$(mktemp -d "$CACHE/fetch.XXXXXX")"
  # A throw-away pom: the broker plus the log4j2 binding its POM leaves out (without one, no log at all).
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.kafka</groupId><artifactId>kafka-broker-jars</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  log "fetching kafka_2.13:$KAFKA_VERSION jars from Maven Central"
  (cd "$work" && mvn -B -q -f pom.xml \
    org.apache.maven.plugins:maven-dependency-plugin:3.6.1:copy-dependencies \
    -Dstyle.color=never -DincludeScope=runtime -DoutputDirectory="$work/lib")
  touch "$work/lib/.complete-$KAFKA_VERSION"
  # Atomic swap: concurrent fetches (two test runs at once) never see a half-filled lib folder.
  if [[ -f "$STAMP" ]]; then rm -rf "$work"; return 0; fi
  rm -rf "$LIB.old" && { [[ -d "$LIB" ]] && mv "$LIB" "$LIB.old" || true; }
  mv "$work/lib" "$LIB" && rm -rf "$work" "$LIB.old"
  log "jars in $LIB ($(find "$LIB" -name '*.jar' | wc -l) files)"
}

write_config() {
  local data="$1"
  cat >"$RUN/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=1
# Single node: every internal topic must have replication factor 1 and min ISR 1, else the group coordinator
# is never available. Fewer partitions than the default 50 make the first consumer-group join fast.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics are created explicitly (the relay's admin client does it): a mistyped topic name fails loudly.
auto.create.topics.enable=false
# The time-of-day runs (test/clock/run-at.js) shift the clock of every Node process by up to a day; this JVM
# keeps the real clock. Since Kafka 3.6 a broker refuses CreateTime timestamps more than 1 h ahead of its own
# (log.message.timestamp.after.max.ms), so a run shifted forward had every produce refused: two days here.
log.message.timestamp.after.max.ms=172800000
EOF
  cat >"$RUN/log4j2.properties" <<'EOF'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
# The readiness line "Kafka Server started" is logged at INFO by this logger.
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
EOF
}

# Formatting costs a JVM start (seconds on a busy 2-core machine), and its output (meta.properties and the
# bootstrap metadata checkpoint) does not depend on ports or paths: format once per version, copy per start.
# Every broker from it shares one cluster id, harmless for throw-away local brokers.
TEMPLATE="$CACHE/formatted-$KAFKA_VERSION"
CDS="$CACHE/cds-$KAFKA_VERSION.jsa"
format_template() {
  [[ -f "$TEMPLATE/meta.properties" ]] && return 0
  local work cluster_id
  work="$(mktemp -d "$CACHE/format.XXXXXX")"
  sed "s|^log.dirs=.*|log.dirs=$work/data|" "$RUN/server.properties" >"$work/server.properties"
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | cut -c1-22)"
  java -Xmx256m -Dlog4j2.configurationFile="$RUN/log4j2.properties" -cp "$LIB/*" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$work/server.properties" >"$work/format.log" 2>&1 \
    || { cat "$work/format.log" >&2; rm -rf "$work"; exit 1; }
  if [[ -f "$TEMPLATE/meta.properties" ]]; then rm -rf "$work"; return 0; fi
  rm -rf "$TEMPLATE" && mv "$work/data" "$TEMPLATE" && rm -rf "$work"
}

start() {
  local keep=false
  [[ "${1:-}" == "--keep-data" ]] && keep=true
  fetch
  local pid
  pid="$(read_pid)"
  if pid_alive "$pid" && port_open "$PORT"; then
    log "already running on 127.0.0.1:$PORT (pid $pid)"
    return 0
  fi
  if port_open "$PORT"; then
    # Someone else's broker (another checkout, a manual start): reuse it, never manage it.
    log "127.0.0.1:$PORT is already served by a process this script did not start; reusing it"
    return 0
  fi
  mkdir -p "$RUN"
  local data=""
  [[ -f "$RUN/data-dir" ]] && data="$(cat "$RUN/data-dir")"
  if ! $keep || [[ -z "$data" || ! -f "$data/meta.properties" ]]; then
    [[ -n "$data" && -d "$data" ]] && rm -rf "$data"
    data="$(mktemp -d "${TMPDIR:-/tmp}/kafka-$PORT-XXXXXX")"
    echo "$data" >"$RUN/data-dir"
    write_config "$data"
    format_template
    cp -a "$TEMPLATE/." "$data/"
  else
    write_config "$data"
  fi
  : >"$RUN/server.log"
  local started=$SECONDS
  # setsid: the broker outlives the shell (and the Jest process) that started it; `stop` ends it by pid.
  # Class-data sharing halves the JVM start on a busy machine: the first broker dumps the classes it loaded
  # when it exits (`stop` publishes the archive), later starts map them. A stale archive (other jars) is
  # ignored by the JVM, which then starts normally.
  local cds
  if [[ -f "$CDS" ]]; then cds="-XX:SharedArchiveFile=$CDS"; else rm -f "$RUN/cds.jsa"; cds="-XX:ArchiveClassesAtExit=$RUN/cds.jsa"; fi
  setsid java "$cds" -Xlog:cds=off -Xlog:cds+dynamic=off -Xms256m -Xmx"$HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$RUN/log4j2.properties" -cp "$LIB/*" \
    kafka.Kafka "$RUN/server.properties" >>"$RUN/server.log" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$RUN/pid"
  while ! grep -q "Kafka Server started" "$RUN/server.log"; do
    if ! pid_alive "$pid"; then
      log "broker exited during start-up; log follows"
      cat "$RUN/server.log" >&2
      rm -f "$RUN/pid"
      exit 1
    fi
    if ((SECONDS - started > START_TIMEOUT)); then
      log "broker not ready after ${START_TIMEOUT}s; stopping it"
      kill "$pid" 2>/dev/null || true
      tail -50 "$RUN/server.log" >&2
      rm -f "$RUN/pid"
      exit 1
    fi
    sleep 0.1
  done
  log "Kafka $KAFKA_VERSION started on 127.0.0.1:$PORT (pid $pid, data $data) in $((SECONDS - started))s"
}

stop() {
  local pid
  pid="$(read_pid)"
  if pid_alive "$pid"; then
    kill "$pid"
    # A clean shutdown flushes the logs (and may write the class-data archive): give it time before forcing.
    local forced=false
    for _ in $(seq 1 300); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then
      log "broker $pid did not stop in 30s; killing it"
      kill -9 "$pid" 2>/dev/null || true
      forced=true
    fi
    log "stopped broker on 127.0.0.1:$PORT (pid $pid)"
    # Only an archive written by a JVM that exited by itself is complete.
    if ! $forced && [[ -s "$RUN/cds.jsa" && ! -f "$CDS" ]]; then mv "$RUN/cds.jsa" "$CDS"; fi
    rm -f "$RUN/cds.jsa"
  else
    log "no broker started by this script on 127.0.0.1:$PORT"
  fi
  rm -f "$RUN/pid" "$RUN/owner"
  if [[ "${1:-}" == "--purge" && -f "$RUN/data-dir" ]]; then
    rm -rf "$(cat "$RUN/data-dir")" "$RUN"
  fi
}

status() {
  local pid
  pid="$(read_pid)"
  if port_open "$PORT"; then
    if pid_alive "$pid"; then echo "running on 127.0.0.1:$PORT (pid $pid)"; else echo "running on 127.0.0.1:$PORT (not started by this script)"; fi
    return 0
  fi
  echo "not running on 127.0.0.1:$PORT"
  return 3
}

# One start/stop at a time per port (two test runs starting together would race for the port).
with_lock() {
  mkdir -p "$CACHE/run"
  exec 9>"$CACHE/run/$PORT.lock"
  flock -w 120 9 || { log "could not lock $CACHE/run/$PORT.lock"; exit 1; }
  "$@"
}

acquire() {
  local id="$1"
  if ! port_open "$PORT"; then
    start
    echo "leases" >"$RUN/owner"
  fi
  mkdir -p "$RUN/leases"
  touch "$RUN/leases/$id"
}

release() {
  local id="$1" lease
  rm -f "$RUN/leases/$id"
  # Leases are named by the holder's pid: a test run that died without tearing down holds nothing.
  for lease in "$RUN"/leases/*; do
    [[ -e "$lease" ]] || continue
    pid_alive "$(basename "$lease")" || rm -f "$lease"
  done
  if [[ -f "$RUN/owner" ]] && [[ -z "$(ls -A "$RUN/leases" 2>/dev/null)" ]]; then
    stop --purge
  fi
}

case "${1:-}" in
  fetch) fetch ;;
  start) shift; with_lock start "$@" ;;
  stop) shift; with_lock stop "$@" ;;
  status) status ;;
  acquire) [[ -n "${2:-}" ]] || { log "acquire needs an id"; exit 2; }; with_lock acquire "$2" ;;
  release) [[ -n "${2:-}" ]] || { log "release needs an id"; exit 2; }; with_lock release "$2" ;;
  *) echo "usage: $0 fetch|start [--keep-data]|stop [--purge]|status|acquire ID|release ID" >&2; exit 2 ;;
esac
