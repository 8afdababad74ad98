# Sourced by deploy/kafka/kafka.sh, deploy/registry/registry.sh and deploy/flink/flink.sh: what a
# service started in the background needs, once. The caller sets HERE (its folder, with its
# pom.xml) and PIDFILE, and defines running_pid.

SERVICE=$(basename "$0")
say() { echo "$SERVICE: $*" >&2; }   # progress to stderr; stdout is for results
die() { say "error: $*"; exit 1; }

pom_sum() { sha256sum "$HERE/pom.xml" | cut -d' ' -f1; }

# remove_state DIR SIGN: delete the state dir DIR if it is empty or holds SIGN, a file only this
# script writes there (guards against a DIR of $HOME and the like).
remove_state() {
  if [ ! -e "$1" ]; then
    say "nothing to delete ($1)"
  elif [ -e "$2" ] || [ -z "$(ls -A "$1")" ]; then
    rm -rf "$1"; say "deleted $1"
  else
    die "$1 has no ${2#"$1"/}; not deleting it"
  fi
}

# pid_running MARK: the pid in $PIDFILE, if that process runs and its command line holds MARK
# (a pid alone may have been reused by another process since).
pid_running() {
  [ -f "$PIDFILE" ] || return 1
  local pid; pid=$(cat "$PIDFILE")
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -qF -- "$1" || return 1
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# spare_port EXCEPT WHAT: a free loopback port other than EXCEPT, below the ephemeral range so
# that client sockets do not take it meanwhile; dies naming WHAT when none is found.
spare_port() {
  local p
  for _ in $(seq 50); do
    p=$(( 20000 + RANDOM % 12000 ))
    [ "$p" != "$1" ] && ! port_open "$p" && { echo "$p"; return; }
  done
  die "no free port found for $2"
}

# stop_service DIR: SIGTERM the service running_pid names, SIGKILL after 30 s; fine if none runs.
stop_service() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PIDFILE"; say "not running ($1)"; return
  fi
  say "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 60); do   # a controlled shutdown takes a few seconds
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "still running after 30s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$PIDFILE"
  say "stopped"
}
