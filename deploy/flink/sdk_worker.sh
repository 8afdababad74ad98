#!/usr/bin/env bash
# The Python SDK worker of Beam's PROCESS environment, for the TaskManagers flink.sh starts
# (`--environment_type PROCESS --environment_option process_command=<this file>`). A TaskManager runs
# it for each worker it needs, as its own child (--id=ID --provision_endpoint=HOST:PORT): so every
# TaskManager has workers of its own, with its environment (WIRESTREAM_VENV, PROMETHEUS_MULTIPROC_DIR).
# sdk_worker.py does the rest, with the venv's python.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
VENV=${WIRESTREAM_VENV:-$HERE/../../.venv}
[ -x "$VENV/bin/python" ] || { echo "sdk_worker.sh: no venv at $VENV (set WIRESTREAM_VENV)" >&2; exit 2; }
export PATH="$VENV/bin:$PATH"   # anything the worker starts as `python` is the venv's too
exec "$VENV/bin/python" "$HERE/sdk_worker.py" "$@"
