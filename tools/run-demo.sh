#!/usr/bin/env bash
# Installs what is missing, builds, starts a demo node with a real workload
# (a supervision tree, ETS tables, busy and idle processes) and opens
# Beamscope on it. The demo node stops when Beamscope closes. Without a
# display it saves a picture of every page instead, prints their paths and
# the CLI's view of the node, and ends.
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
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  "$build/src/beamscope" --node "$node" --cookie-file "$cookie_file" "$@"
  exit
fi

# No display: rather than a window nobody sees, a picture of every page
# (Beamscope under Xvfb, --screenshots), then what the CLI says of the node.
mkdir -p "$build/demo-screenshots"
shots="$(cd "$build/demo-screenshots" && pwd)"
rm -f "$shots"/*.png
echo "No display: taking a picture of every page of Beamscope under Xvfb..." >&2
status=0
xvfb-run -a -s "-screen 0 1400x1000x24" dbus-run-session -- \
  env GDK_BACKEND=x11 GSK_RENDERER=cairo GTK_A11Y=none GSETTINGS_BACKEND=memory \
  "$build/src/beamscope" --node "$node" --cookie-file "$cookie_file" --screenshots "$shots" \
  "$@" 2> "$build/demo-screenshots.log" || status=$?
if [ "$status" -eq 0 ]; then
  echo "Beamscope's pages on the demo node, saved above (open them in any image viewer)."
else
  echo "Beamscope could not save every page (exit status $status):" >&2
  cat "$build/demo-screenshots.log" >&2
fi

cli=("$build/src/beamscope-cli" --node "$node" --cookie-file "$cookie_file")
echo
echo "\$ beamscope-cli --node $node info"
"${cli[@]}" info
echo
echo "\$ beamscope-cli --node $node top -n 10   # the processes holding the most memory"
"${cli[@]}" top -n 10
echo
echo "\$ beamscope-cli --node $node memory"
"${cli[@]}" memory
exit "$status"
