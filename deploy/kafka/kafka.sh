#!/usr/bin/env bash
# Run a real, single-node Apache Kafka broker (KRaft: broker + controller in
# one JVM) on 127.0.0.1, without Docker: the jars come from Maven Central via
# pom.xml next to this script. See README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: kafka.sh [--port N] [--dir DIR] [--secure] [--no-auto-create] <command>

commands:
  fetch    download the broker jars from Maven Central into the cache (once)
  start    start a broker in the background; prints its bootstrap address
           (127.0.0.1:PORT) as the last line on stdout
  stop     stop the broker started from DIR (fine if none runs)
  status   say whether it runs (exit 0 if running, 1 if not)
  clean    stop it and delete DIR

options:
  --secure             a locked-down broker: a SASL_SSL listener (TLS with a certificate from our
                       own CA, made by certs.sh; SCRAM-SHA-512 logins), ACLs (StandardAuthorizer)
                       with the super user "admin", and the users of KAFKA_USERS, who may do
                       nothing until granted ACLs. Each user's password is made at the first
                       start, in DIR/secrets/NAME.password; clients verify the broker with
                       DIR/tls/ca.pem
  --no-auto-create     auto.create.topics.enable=false, as on most managed clusters

environment (the options win over these):
  KAFKA_PORT           client port (default 9092)
  KAFKA_DIR            broker state dir (default $WIRESTREAM_CACHE/broker-$KAFKA_PORT)
  KAFKA_SECURE         1: as --secure (the broker dir remembers it; switching needs `clean`)
  KAFKA_AUTO_CREATE    false: as --no-auto-create
  KAFKA_HOST           the host name clients are told to use (default 127.0.0.1); with --secure
                       it must be one of KAFKA_TLS_NAMES
  KAFKA_TLS_NAMES      with --secure, the names in the broker's certificate (default:
                       localhost 127.0.0.1)
  KAFKA_USERS          with --secure, the SCRAM users made besides admin (default: wirestream)
  WIRESTREAM_CACHE     cache root (default ~/.cache/wirestream)
  KAFKA_HEAP_OPTS      JVM heap flags (default -Xms256m -Xmx1g)
  KAFKA_START_TIMEOUT  seconds to wait for the broker (default 60)
  JAVA_HOME            optional; otherwise `java` on PATH is used
EOF
}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # works from any cwd
# shellcheck source=../service.sh
. "$HERE/../service.sh"

cmd=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) KAFKA_PORT=${2:?--port needs a value}; shift 2 ;;
    --dir)  KAFKA_DIR=${2:?--dir needs a value}; shift 2 ;;
    --secure) KAFKA_SECURE=1; shift ;;
    --no-auto-create) KAFKA_AUTO_CREATE=false; shift ;;
    -h|--help|help) usage; exit 0 ;;
    -*) echo "kafka.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$cmd" ] || { usage >&2; exit 2; }; cmd=$1; shift ;;
  esac
done

# The Kafka version is set once, in pom.xml; the cache dir is named after it.
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")
CACHE_ROOT=${WIRESTREAM_CACHE:-$HOME/.cache/wirestream}
LIB=$CACHE_ROOT/kafka-$KAFKA_VERSION/lib
MARKER=$CACHE_ROOT/kafka-$KAFKA_VERSION/complete   # holds the pom's checksum
KAFKA_PORT=${KAFKA_PORT:-9092}
KAFKA_DIR=${KAFKA_DIR:-$CACHE_ROOT/broker-$KAFKA_PORT}
KAFKA_DIR=$(realpath -m "$KAFKA_DIR")   # absolute: it goes into the java command line
PIDFILE=$KAFKA_DIR/kafka.pid
PROPS=$KAFKA_DIR/server.properties
LOGDIR=$KAFKA_DIR/logs
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
KAFKA_HOST=${KAFKA_HOST:-127.0.0.1}
ADDR=$KAFKA_HOST:$KAFKA_PORT
KAFKA_SECURE=${KAFKA_SECURE:-0}
KAFKA_AUTO_CREATE=${KAFKA_AUTO_CREATE:-true}
TLS=$KAFKA_DIR/tls
SECRETS=$KAFKA_DIR/secrets
SUPER_USER=admin
SCRAM=SCRAM-SHA-512



fetch() {
  # Fast path: the marker says a complete download for this exact pom exists.
  if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$(pom_sum)" ]; then
    echo "$LIB"; return
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once, to fetch the Kafka jars)"
  mkdir -p "$(dirname "$LIB")"
  # One fetch at a time (two parallel `start`s on a fresh cache).
  exec 9>"$(dirname "$LIB")/.fetch.lock"
  flock 9
  if [ ! -f "$MARKER" ] || [ "$(cat "$MARKER")" != "$(pom_sum)" ]; then
    say "fetching Kafka $KAFKA_VERSION jars from Maven Central into $LIB"
    local tmp=$LIB.tmp.$$
    rm -rf "$tmp"
    # Download into a temp dir and swap it in, so a failed or interrupted
    # fetch never leaves a half-filled lib/ that looks complete.
    # mvn's output goes to a log (shown on failure): even -q prints stray
    # terminal escape codes.
    local log; log=$(dirname "$LIB")/fetch.log
    if ! mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$tmp" > "$log" 2>&1; then
      cat "$log" >&2; rm -rf "$tmp"; die "mvn dependency:copy-dependencies failed (log: $log)"
    fi
    ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null || die "kafka_2.13 jar missing after fetch"
    rm -rf "$LIB"; mv "$tmp" "$LIB"
    pom_sum > "$MARKER"
  fi
  exec 9>&-
  echo "$LIB"
}

# The pid in the pid file, if that process is alive and is our broker
# (checks the command line, so a recycled pid is not mistaken for it).
running_pid() { pid_running "kafka.Kafka $PROPS"; }


# A free loopback port for the controller listener: the previous one if still
# free (stable config across restarts), else a spare one.
controller_port() {
  local p=""
  [ -f "$PROPS" ] && p=$(sed -n 's/^# controller_port=//p' "$PROPS")
  if [ -n "$p" ] && ! port_open "$p"; then echo "$p"; return; fi
  spare_port "$KAFKA_PORT" "the controller listener"
}

# The listeners, plaintext: one for clients, one for the controller.
plaintext_listeners() {
  local cport=$1
  cat <<EOF
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://$ADDR
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
EOF
}

# The listeners, locked down: clients log in with SCRAM over TLS; the broker reaches its own
# controller with mutual TLS (its certificate, CN=wirestream-broker, is a super user: SCRAM cannot
# serve the controller, whose credentials live in the metadata it serves) and itself as admin.
# Nothing is allowed without an ACL.
secure_listeners() {
  local cport=$1
  cat <<EOF
controller.quorum.voters=1@$KAFKA_HOST:$cport
listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$cport
advertised.listeners=SASL_SSL://$ADDR
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL
controller.listener.names=CONTROLLER
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=$SCRAM
sasl.mechanism.inter.broker.protocol=$SCRAM
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$SUPER_USER" password="$(cat "$SECRETS/$SUPER_USER.password")";
ssl.keystore.type=PEM
ssl.keystore.location=$TLS/broker.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS/ca.pem
listener.name.controller.ssl.client.auth=required
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:$SUPER_USER;User:CN=wirestream-broker
allow.everyone.if.no.acl.found=false
EOF
}

write_props() {
  local cport=$1
  ( umask 077   # with --secure it holds the admin password
  cat > "$PROPS" <<EOF
# Written by deploy/kafka/kafka.sh on every start; edits are overwritten.
# controller_port=$cport
# Single node, KRaft, combined roles: no ZooKeeper, no second process.
process.roles=broker,controller
node.id=1
$(if secure; then secure_listeners "$cport"; else plaintext_listeners "$cport"; fi)
log.dirs=$KAFKA_DIR/data

# One broker: internal topics cannot have more than one replica.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
default.replication.factor=1

# Dev/test friendly: no rebalance wait, 3 partitions; auto-created topics unless --no-auto-create.
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=$KAFKA_AUTO_CREATE
num.partitions=3

# 16 MiB so multi-MB stories (5 MB test messages) fit.
message.max.bytes=16777216
replica.fetch.max.bytes=16777216
EOF
  )
}

secure() { [ "$KAFKA_SECURE" = 1 ]; }

# With --secure: the CA and broker certificate (certs.sh), and a password for each user, made once.
prepare_security() {
  local names=${KAFKA_TLS_NAMES:-localhost 127.0.0.1} user
  [[ " $names " == *" $KAFKA_HOST "* ]] \
    || die "KAFKA_HOST $KAFKA_HOST is not in the certificate's names ($names): clients would refuse it"
  # shellcheck disable=SC2086  # a list of names
  bash "$HERE/certs.sh" "$TLS" $names >/dev/null
  mkdir -p "$SECRETS"; chmod 700 "$SECRETS"
  for user in $SUPER_USER ${KAFKA_USERS:-wirestream}; do
    [ -s "$SECRETS/$user.password" ] && continue
    ( umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$SECRETS/$user.password" )
  done
}

# The storage tool's arguments: the cluster id and, with --secure, every user's SCRAM credential.
# They go through a java @argfile (mode 600, deleted after), so no password is on a command line.
format_args() {
  local cid=$1 file user
  echo "kafka.tools.StorageTool format -t $cid -c $PROPS"
  if secure; then
    for file in "$SECRETS"/*.password; do
      user=$(basename "$file" .password)
      echo "--add-scram $SCRAM=[name=$user,password=$(cat "$file")]"
    done
  fi
}

start() {
  local pid
  if pid=$(running_pid); then
    say "already running (pid $pid) from $KAFKA_DIR"
    echo "$ADDR"; return
  fi
  rm -f "$PIDFILE"
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is already in use by another process"
  command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME or put java on PATH)"
  fetch >/dev/null
  mkdir -p "$LOGDIR"   # also creates KAFKA_DIR
  # A broker dir keeps the security it was formatted with: its users live in its metadata.
  local mode=plaintext was
  secure && mode=secure
  was=$(cat "$KAFKA_DIR/security" 2>/dev/null || echo plaintext)
  if [ -f "$KAFKA_DIR/data/meta.properties" ] && [ "$was" != "$mode" ]; then
    die "$KAFKA_DIR holds a $was broker, not a $mode one: clean it (kafka.sh clean) or use another --dir"
  fi
  if secure; then prepare_security; fi
  write_props "$(controller_port)"

  local jvm=(-cp "$LIB/*" -Dlog4j2.configurationFile="$HERE/log4j2.properties"
             -Dkafka.logs.dir="$LOGDIR" -Djava.awt.headless=true)

  # Format the KRaft storage once; meta.properties marks a formatted dir.
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    # Cluster id: 16 random bytes, base64url without padding (Kafka's Uuid form). Not one that starts
    # with "-", which the storage tool would take for an option (Kafka's own Uuid avoids them too).
    local cid=-
    while [[ $cid == -* ]]; do cid=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='); done
    say "formatting $KAFKA_DIR/data (cluster id $cid)"
    local argfile=$KAFKA_DIR/format.args
    # umask 077: the arguments hold the passwords, the log the users' salted keys.
    ( umask 077; format_args "$cid" > "$argfile"
      "$JAVA" "${jvm[@]}" "@$argfile" > "$LOGDIR/format.log" 2>&1 ) \
        || { rm -f "$argfile"; cat "$LOGDIR/format.log" >&2; die "storage format failed"; }
    rm -f "$argfile"
    echo "$mode" > "$KAFKA_DIR/security"
  fi

  # Fresh server.log per run, so the readiness check below sees only this run.
  [ -f "$LOGDIR/server.log" ] && mv -f "$LOGDIR/server.log" "$LOGDIR/server.log.previous"
  say "starting Kafka $KAFKA_VERSION on $ADDR (logs: $LOGDIR/server.log)"
  # setsid: own session, so Ctrl-C / the caller's process group do not hit it.
  # shellcheck disable=SC2086  # KAFKA_HEAP_OPTS is a list of flags
  setsid "$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} -XX:+UseG1GC "${jvm[@]}" \
      kafka.Kafka "$PROPS" > "$LOGDIR/kafka.out" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$PIDFILE"

  # Ready = the broker logged "Kafka Server started" (it is RUNNING and
  # unfenced) and its port accepts connections.
  local timeout=${KAFKA_START_TIMEOUT:-60} t0=$SECONDS
  until grep -q "Kafka Server started" "$LOGDIR/server.log" 2>/dev/null && port_open "$KAFKA_PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      tail -n 20 "$LOGDIR/kafka.out" "$LOGDIR/server.log" >&2 2>/dev/null || true
      die "broker exited during startup; see $LOGDIR/server.log and $LOGDIR/kafka.out"
    fi
    if (( SECONDS - t0 >= timeout )); then
      stop   # do not leave a half-started broker behind
      die "broker not ready after ${timeout}s; see $LOGDIR/server.log and $LOGDIR/kafka.out"
    fi
    sleep 0.5
  done
  say "ready after $(( SECONDS - t0 ))s (pid $pid)"
  if secure; then
    say "SASL_SSL with $SCRAM; CA: $TLS/ca.pem; super user $SUPER_USER; passwords in $SECRETS/"
  fi
  echo "$ADDR"
}

stop() { stop_service "$KAFKA_DIR"; }

status() {
  local pid
  if pid=$(running_pid); then
    echo "running (pid $pid) on $ADDR, dir $KAFKA_DIR"
  else
    echo "not running (dir $KAFKA_DIR)"; return 1
  fi
}

clean() {
  stop
  remove_state "$KAFKA_DIR" "$PROPS"
}

case "$cmd" in
  fetch)  fetch ;;
  start)  start ;;
  stop)   stop ;;
  status) status ;;
  clean)  clean ;;
  "") usage >&2; exit 2 ;;
  *) echo "kafka.sh: unknown command $cmd" >&2; usage >&2; exit 2 ;;
esac
