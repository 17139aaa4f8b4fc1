#!/usr/bin/env bash
# Installs what is missing, builds, starts a demo node with a real workload
# (a supervision tree, ETS tables, busy and idle processes) and opens
# Beamscope on it. The demo node stops when Beamscope closes.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh

build=${BUILD_DIR:-_build}
[ -d "$build" ] || meson setup "$build"
meson compile -C "$build"

cookie_file="$build/demo.cookie"
if [ ! -f "$cookie_file" ]; then
  (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$cookie_file")
fi
chmod 400 "$cookie_file"
node="beamscope_demo@$(hostname -s)"

# The node reads its stdin from a pipe this script holds open on fd 3; when
# the script ends, however it ends, the pipe closes and the node halts.
exec 3> >(exec erl -sname beamscope_demo -setcookie "$(cat "$cookie_file")" -noshell \
    -pa "$build/tests" -s beamscope_fixture watch_stdin -s beamscope_fixture start_demo \
    > "$build/demo-node.log" 2>&1)

# Wait for the node to register with EPMD.
for _ in $(seq 1 100); do
  "$build/src/beamscope-cli" nodes 2>/dev/null | grep -q '^beamscope_demo ' && break
  sleep 0.1
done

export GSETTINGS_SCHEMA_DIR="$build/data"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: running headless under Xvfb. The CLI works anywhere:" >&2
  "$build/src/beamscope-cli" --node "$node" --cookie-file "$cookie_file" info
  exec_cmd=(xvfb-run -a dbus-run-session --)
else
  exec_cmd=()
fi
"${exec_cmd[@]}" "$build/src/beamscope" --node "$node" --cookie-file "$cookie_file" "$@"
