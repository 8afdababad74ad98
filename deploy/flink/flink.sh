#!/usr/bin/env bash
# Run a real Apache Flink 1.19 session cluster on 127.0.0.1 for wirestream, without Docker or a Flink
# tarball: the jars come from Maven Central via pom.xml next to this script (README.md beside it says why).
# One JobManager and FLINK_TASKMANAGERS TaskManagers (one slot each, Prometheus reporter each); each
# TaskManager starts its own Python SDK workers (sdk_worker.sh). Beam's job server is the shaded jar
# the pom builds; `wirestream run` starts it itself with the options `up` prints. See README.md.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: flink.sh [--port N] [--taskmanagers N] [--dir DIR] <command>

commands:
  fetch          download the cluster's jars from Maven Central into the cache (once); prints the dir
  jobserver-jar  build Beam's Flink job server as one shaded jar in the cache (once); prints its path
  up             start the JobManager and the TaskManagers in the background, wait until every
                 TaskManager has registered, and print the `wirestream run`
                 options that target the cluster as the last line on stdout
  options        print those options again (the cluster need not run)
  down           stop everything `up` started from DIR (fine if nothing runs)
  status         say what runs (exit 0 if all of it, 1 if not)
  clean          stop it and delete DIR

environment (the options win over these):
  FLINK_PORT             the JobManager's REST port (default 8081); the other ports follow it:
                         JobManager RPC 6123+d, Prometheus reporters 9249+d (JobManager) and
                         9249+d+i (TaskManager i), with d = FLINK_PORT-8081
  FLINK_TASKMANAGERS     number of TaskManagers, one task slot each (default 2)
  FLINK_DIR              run dir: config, logs, pids, checkpoints (default
                         $WIRESTREAM_CACHE/flink/cluster-$FLINK_PORT)
  FLINK_TM_TASK_HEAP_MB  task heap of each TaskManager in MiB (default 384)
  FLINK_START_TIMEOUT    seconds to wait for the cluster (default 120)
  WIRESTREAM_CACHE       cache root (default ~/.cache/wirestream)
  WIRESTREAM_VENV        the venv the SDK workers run in (default: the work tree's .venv)
  FLINK_DIR/logs/taskmanager-i.log also has the log of that TaskManager's SDK workers.
  JAVA_HOME              optional; otherwise `java` on PATH (Flink 1.19 wants Java 11 or 17)
EOF
}

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)   # works from any cwd
# shellcheck source=../service.sh
. "$HERE/../service.sh"

cmd=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port)         FLINK_PORT=${2:?--port needs a value}; shift 2 ;;
    --taskmanagers) FLINK_TASKMANAGERS=${2:?--taskmanagers needs a value}; shift 2 ;;
    --dir)          FLINK_DIR=${2:?--dir needs a value}; shift 2 ;;
    -h|--help|help) usage; exit 0 ;;
    -*) echo "flink.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) [ -z "$cmd" ] || { usage >&2; exit 2; }; cmd=$1; shift ;;
  esac
done


# The versions are set once, in pom.xml; the cache dir is named after them.
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$HERE/pom.xml" | head -1; }
BEAM_VERSION=$(pom_property beam.version)
FLINK_VERSION=$(pom_property flink.version)
CACHE_ROOT=${WIRESTREAM_CACHE:-$HOME/.cache/wirestream}
DIST=$CACHE_ROOT/flink/flink-$FLINK_VERSION-beam-$BEAM_VERSION
LIB=$DIST/lib                                  # the cluster's classpath
LIB_MARKER=$DIST/lib.complete                  # both markers hold the pom's checksum
JAR=$DIST/wirestream-flink-job-server.jar      # the shaded job server
JAR_MARKER=$DIST/jobserver.complete

FLINK_PORT=${FLINK_PORT:-8081}
FLINK_TASKMANAGERS=${FLINK_TASKMANAGERS:-2}
[[ $FLINK_PORT =~ ^[0-9]+$ ]] || die "FLINK_PORT must be a port number, not '$FLINK_PORT'"
[[ $FLINK_TASKMANAGERS =~ ^[1-9][0-9]?$ ]] || die "FLINK_TASKMANAGERS must be 1 to 99, not '$FLINK_TASKMANAGERS'"
FLINK_DIR=${FLINK_DIR:-$CACHE_ROOT/flink/cluster-$FLINK_PORT}
FLINK_DIR=$(realpath -m "$FLINK_DIR")   # absolute: it goes into the java command lines
CONF=$FLINK_DIR/conf
LOGDIR=$FLINK_DIR/logs
METRICS_DIR=$FLINK_DIR/sdk-metrics   # PROMETHEUS_MULTIPROC_DIR of the SDK workers
VENV=${WIRESTREAM_VENV:-$HERE/../../.venv}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

# Ports: Flink's defaults (REST 8081, RPC 6123, reporter 9249), shifted together with FLINK_PORT,
# so a second cluster on another FLINK_PORT does not clash.
OFFSET=$(( FLINK_PORT - 8081 ))
RPC_PORT=$(( 6123 + OFFSET ))
PROM_PORT=$(( 9249 + OFFSET ))               # the JobManager's; TaskManager i has PROM_PORT + i
for p in "$FLINK_PORT" "$RPC_PORT" "$PROM_PORT" "$(( PROM_PORT + FLINK_TASKMANAGERS ))"; do
  (( p >= 1024 && p <= 65535 )) || die "FLINK_PORT $FLINK_PORT puts a derived port at $p, outside 1024-65535"
done

# TaskManager memory, set explicitly: started without Flink's bin/ scripts, a TaskManager refuses to
# start until these are given. MiB. JVM heap = framework + task heap; direct memory
# = framework + task off-heap + network.
TM_TASK_HEAP=${FLINK_TM_TASK_HEAP_MB:-384}
TM_FRAMEWORK_HEAP=128 TM_TASK_OFFHEAP=128 TM_FRAMEWORK_OFFHEAP=128 TM_MANAGED=128 TM_NETWORK=64
TM_METASPACE=256 TM_OVERHEAD=192
# What Flink's own config ships for Java 17 (env.java.opts.all): its serializers reach into these.
JAVA_OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED)
LOGGING=(-Dorg.slf4j.simpleLogger.showDateTime=true "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss,SSS"
  -Dorg.slf4j.simpleLogger.log.org.apache.flink.runtime.checkpoint=warn)

marked() { [ -f "$1" ] && [ "$(cat "$1")" = "$(pom_sum)" ]; }

# mvn GOAL... with the pom, writing only under DIST; output to a log shown on failure.
mvn_run() {
  local log=$DIST/mvn.log
  command -v mvn >/dev/null || die "mvn not found (needed once, to fetch the Flink jars)"
  if ! mvn -q -B -f "$HERE/pom.xml" -Dwirestream.flink.dir="$DIST" "$@" > "$log" 2>&1; then
    cat "$log" >&2; die "mvn $1 failed (log: $log)"
  fi
}

fetch() {
  if marked "$LIB_MARKER"; then echo "$LIB"; return; fi
  mkdir -p "$DIST"
  exec 9>"$DIST/.fetch.lock"; flock 9   # one fetch at a time
  if ! marked "$LIB_MARKER"; then
    say "fetching Beam $BEAM_VERSION's Flink runner and Flink $FLINK_VERSION from Maven Central into $LIB"
    # Into a temp dir, then swapped in: a failed fetch never leaves a lib/ that looks complete.
    local tmp=$LIB.tmp.$$
    rm -rf "$tmp"
    mvn_run dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$tmp"
    local jar
    for jar in "flink-runtime-$FLINK_VERSION" "flink-metrics-prometheus-$(pom_property flink.prometheus.version)" \
               "beam-runners-flink-${FLINK_VERSION%.*}-$BEAM_VERSION"; do
      [ -f "$tmp/$jar.jar" ] || { rm -rf "$tmp"; die "$jar.jar missing after the fetch"; }
    done
    rm -rf "$LIB"; mv "$tmp" "$LIB"
    pom_sum > "$LIB_MARKER"
  fi
  exec 9>&-
  echo "$LIB"
}

jobserver_jar() {
  if marked "$JAR_MARKER" && [ -f "$JAR" ]; then echo "$JAR"; return; fi
  mkdir -p "$DIST"
  exec 9>"$DIST/.build.lock"; flock 9
  if ! marked "$JAR_MARKER" || [ ! -f "$JAR" ]; then
    say "building the shaded Flink job server (Beam $BEAM_VERSION, Flink $FLINK_VERSION) into $JAR"
    mvn_run package
    local built=$DIST/build/wirestream-flink-job-server.jar
    [ -s "$built" ] || die "mvn package made no $built"
    cp "$built" "$JAR.tmp.$$" && mv "$JAR.tmp.$$" "$JAR"
    pom_sum > "$JAR_MARKER"
  fi
  exec 9>&-
  echo "$JAR"
}

# Each service has a pid file in FLINK_DIR; its command line carries a mark naming it, so that a
# recycled pid is never taken for it (service.sh's pid_running and stop_service use these two).
PIDFILE="" MARK=""
service() {
  PIDFILE=$FLINK_DIR/$1.pid
  MARK="-Dwirestream.flink.service=$FLINK_DIR/$1 "
}
running_pid() { pid_running "$MARK"; }
taskmanagers() { seq -f 'taskmanager-%g' 1 "$FLINK_TASKMANAGERS"; }

# GET a path of the REST API; prints the body (plain bash, no curl needed).
rest_get() {
  (
    exec 3<>"/dev/tcp/127.0.0.1/$FLINK_PORT" || exit 1
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3
    timeout 5 cat <&3
  ) 2>/dev/null | sed '1,/^\r$/d'
}
registered_taskmanagers() { { rest_get /taskmanagers || true; } | { grep -o '"id":"[^"]*"' || true; } | wc -l; }

java_major() {
  "$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1
}

write_conf() {
  mkdir -p "$CONF" "$LOGDIR" "$FLINK_DIR/tmp" "$FLINK_DIR/checkpoints"
  cat > "$CONF/flink-conf.yaml" <<EOF
# Written by deploy/flink/flink.sh on every \`up\`; edits are overwritten.
# Loopback only.
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $RPC_PORT
jobmanager.bind-host: 127.0.0.1
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $FLINK_PORT
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1

# Two slots per TaskManager: a job of parallelism FLINK_TASKMANAGERS still has slots when one
# TaskManager dies, so it recovers from its last checkpoint on those left; slots are taken evenly
# from every TaskManager, so a job's subtasks run on all of them.
taskmanager.numberOfTaskSlots: 2
# The job-server jar submitted with each job holds the classes lib/ has: load them once, from lib/
# (child-first loading left a cancelled job's gRPC classes broken for the next job).
cluster.evenly-spread-out-slots: true
classloader.resolve-order: parent-first
classloader.check-leaked-classloader: false
# Notice a lost TaskManager in seconds, not the default 50 s.
heartbeat.interval: 2000
heartbeat.timeout: 10000
parallelism.default: $FLINK_TASKMANAGERS
taskmanager.cpu.cores: 1
taskmanager.memory.task.heap.size: ${TM_TASK_HEAP}m
taskmanager.memory.task.off-heap.size: ${TM_TASK_OFFHEAP}m
taskmanager.memory.framework.heap.size: ${TM_FRAMEWORK_HEAP}m
taskmanager.memory.framework.off-heap.size: ${TM_FRAMEWORK_OFFHEAP}m
taskmanager.memory.managed.size: ${TM_MANAGED}m
taskmanager.memory.jvm-metaspace.size: ${TM_METASPACE}m
taskmanager.memory.network.min: ${TM_NETWORK}m
taskmanager.memory.network.max: ${TM_NETWORK}m
taskmanager.memory.jvm-overhead.min: ${TM_OVERHEAD}m
taskmanager.memory.jvm-overhead.max: ${TM_OVERHEAD}m

# Each process exports its metrics (Beam's included) for Prometheus; the port is set per process
# on its command line (prometheus.yml next to this script lists them).
metrics.reporter.prom.factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory

io.tmp.dirs: $FLINK_DIR/tmp
web.tmpdir: $FLINK_DIR/tmp
state.checkpoints.dir: file://$FLINK_DIR/checkpoints
EOF
}

# The environment of the TaskManagers, which their SDK workers (sdk_worker.sh) inherit: the venv, and
# one fresh multi-process dir that all of them count into, whichever holds the pipeline's
# --metrics-port serving the sums (transforms/telemetry/exporter.py).
SERVICE_ENV=()
tm_env() {
  SERVICE_ENV=("WIRESTREAM_VENV=$(realpath "$VENV")" "PROMETHEUS_MULTIPROC_DIR=$METRICS_DIR")
}

# start_java NAME MAINCLASS JVMFLAGS... -- ARGS...: a JVM in its own session, logging to logs/NAME.log.
start_java() {
  local name=$1 main=$2; shift 2
  local jvm=() args=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do jvm+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  args=("$@")
  service "$name"
  [ -f "$LOGDIR/$name.log" ] && mv -f "$LOGDIR/$name.log" "$LOGDIR/$name.log.previous"
  # setsid: own session, so Ctrl-C / the caller's process group do not hit it.
  setsid env "${SERVICE_ENV[@]}" "$JAVA" "${jvm[@]}" "${JAVA_OPENS[@]}" "${LOGGING[@]}" -Dlog.file="$LOGDIR/$name.log" \
      "-Dwirestream.flink.service=$FLINK_DIR/$name" -cp "$LIB/*" "$main" "${args[@]}" \
      > "$LOGDIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$PIDFILE"
}

# The `wirestream run` options for this cluster. Beam's FlinkRunner starts the job server from the
# jar for each run (so Flink's options such as --checkpointing_interval are parsed; with
# --runner PortableRunner they are not). The PROCESS environment makes each
# TaskManager start its own SDK workers (sdk_worker.sh): one shared worker pool (EXTERNAL, one
# address for all) mixes up the TaskManagers' workers, which all have the id 1-1 (see README.md).
# --finish_bundle_before_checkpointing: by default Beam's Flink operators finish a bundle that a
# checkpoint interrupts inside the snapshot and keep its outputs until their next bundle or watermark.
# The stages fed by the Impulse (the partitions) never get another, so a checkpoint during their one
# bundle kept the partitions from the reader for good: a continuous job that never read (README.md).
run_options() {
  local cores; cores=$(nproc 2>/dev/null || echo 1)
  local share=$(( cores / FLINK_TASKMANAGERS )); (( share >= 1 )) || share=1
  echo "--runner FlinkRunner --flink_master 127.0.0.1:$FLINK_PORT --flink_job_server_jar $JAR" \
       "--parallelism $FLINK_TASKMANAGERS --environment_type PROCESS" \
       "--environment_option process_command=$HERE/sdk_worker.sh --nlp-processes $share" \
       "--finish_bundle_before_checkpointing"
}

check_free() {   # PORT WHAT
  port_open "$1" && die "port $1 ($2) is already in use by another process (set FLINK_PORT)"
  return 0
}

up() {
  command -v "$JAVA" >/dev/null || die "java not found (set JAVA_HOME or put java on PATH)"
  local major; major=$(java_major)
  case "$major" in 11|17) ;; *) say "warning: Flink 1.19 supports Java 11 and 17; $JAVA is $major" ;; esac
  fetch >/dev/null
  jobserver_jar >/dev/null
  local pid name i t0=$SECONDS timeout=${FLINK_START_TIMEOUT:-120}
  service jobmanager
  if pid=$(running_pid); then
    say "JobManager already running (pid $pid)"
  else
    check_free "$FLINK_PORT" "REST"; check_free "$RPC_PORT" "JobManager RPC"; check_free "$PROM_PORT" "reporter"
    write_conf
    say "starting a Flink $FLINK_VERSION JobManager on 127.0.0.1:$FLINK_PORT (logs: $LOGDIR)"
    start_java jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
        -Xms256m -Xmx512m -- --configDir "$CONF" -D metrics.reporter.prom.port="$PROM_PORT"
  fi
  # A fresh dir for the SDK workers' counts, unless a TaskManager (and its workers) still counts into it.
  local any=""
  for name in $(taskmanagers); do service "$name"; running_pid >/dev/null && any=1; done
  [ -n "$any" ] || { rm -rf "$METRICS_DIR"; mkdir -p "$METRICS_DIR"; }
  tm_env
  i=0
  for name in $(taskmanagers); do
    i=$(( i + 1 ))
    service "$name"
    if pid=$(running_pid); then say "$name already running (pid $pid)"; continue; fi
    check_free $(( PROM_PORT + i )) "$name's reporter"
    # Its blob cache keeps the job-server jar of every earlier job (~150 MB each), and a TaskManager
    # hashes all of it at start (checkAndDeleteCorruptedBlobs): 5 GB held one up for 104 s, near the
    # start timeout. It is only a cache: the JobManager serves the jars of running jobs again.
    rm -rf "$FLINK_DIR/tmp/tm_$name"
    say "starting $name (reporter on 127.0.0.1:$(( PROM_PORT + i )))"
    start_java "$name" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
        -Xms$(( TM_FRAMEWORK_HEAP + TM_TASK_HEAP ))m -Xmx$(( TM_FRAMEWORK_HEAP + TM_TASK_HEAP ))m \
        -XX:MaxDirectMemorySize=$(( TM_FRAMEWORK_OFFHEAP + TM_TASK_OFFHEAP + TM_NETWORK ))m \
        -XX:MaxMetaspaceSize=${TM_METASPACE}m -- \
        --configDir "$CONF" -D taskmanager.resource-id="$name" -D metrics.reporter.prom.port=$(( PROM_PORT + i ))
  done
  # Ready = every process alive and every TaskManager registered with the JobManager.
  local registered=0
  while :; do
    for name in jobmanager $(taskmanagers); do
      service "$name"
      if ! running_pid >/dev/null; then
        tail -n 20 "$LOGDIR/$name.log" >&2 2>/dev/null || true
        down
        die "$name exited during startup; see $LOGDIR/$name.log"
      fi
    done
    registered=$(registered_taskmanagers)
    [ "$registered" -ge "$FLINK_TASKMANAGERS" ] && break
    if (( SECONDS - t0 >= timeout )); then
      down
      die "$registered of $FLINK_TASKMANAGERS TaskManager(s) registered after ${timeout}s; see $LOGDIR"
    fi
    sleep 0.5
  done
  say "ready after $(( SECONDS - t0 ))s: $registered TaskManager(s); web UI/REST http://127.0.0.1:$FLINK_PORT"
  run_options
}

down() {
  local name pid
  # The TaskManagers first (their SDK workers end with them), then the JobManager.
  for name in $(taskmanagers) jobmanager; do
    service "$name"; stop_service "$name"
  done
  # Stop more TaskManagers than configured too, if an earlier `up` had more.
  for PIDFILE in "$FLINK_DIR"/taskmanager-*.pid; do
    [ -f "$PIDFILE" ] || continue
    name=$(basename "$PIDFILE" .pid); service "$name"; stop_service "$name"
  done
  # The stopped TaskManagers' blob caches: a job-server jar per job run (see up), gigabytes after a
  # test session, and of no use to the next start.
  local dir
  for dir in "$FLINK_DIR"/tmp/tm_*; do
    [ -d "$dir" ] || continue
    service "${dir##*/tm_}"; running_pid >/dev/null || rm -rf "$dir"
  done
}

status() {
  local name pid ok=0
  for name in jobmanager $(taskmanagers); do
    service "$name"
    if pid=$(running_pid); then echo "$name: running (pid $pid)"; else echo "$name: not running"; ok=1; fi
  done
  if [ "$ok" = 0 ]; then
    echo "TaskManagers registered: $(registered_taskmanagers) of $FLINK_TASKMANAGERS; REST http://127.0.0.1:$FLINK_PORT, dir $FLINK_DIR"
  fi
  return "$ok"
}

clean() {
  down
  remove_state "$FLINK_DIR" "$CONF/flink-conf.yaml"
}

case "$cmd" in
  fetch)         fetch ;;
  jobserver-jar) jobserver_jar ;;
  up)            up ;;
  options)       run_options ;;
  down)          down ;;
  status)        status ;;
  clean)         clean ;;
  "") usage >&2; exit 2 ;;
  *) echo "flink.sh: unknown command $cmd" >&2; usage >&2; exit 2 ;;
esac
