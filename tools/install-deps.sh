#!/usr/bin/env bash
# Installs, from Debian 12's archive, every package Beamscope needs to build, run,
# test and demo. Safe to rerun: apt-get skips what is already there.
set -euo pipefail

packages=(
  # build
  build-essential meson ninja-build pkg-config gettext
  libgtk-4-dev libgtk-4-bin libadwaita-1-dev libjson-glib-dev libglib2.0-dev libglib2.0-dev-bin
  # the C-node library and the nodes we test against
  erlang-nox erlang-dev elixir
  # display tests, data-file validation
  xvfb xauth dbus dbus-x11 desktop-file-utils appstream-util appstream
  libxtst-dev
  # the German test reads the app's accessible tree over AT-SPI
  libatspi2.0-dev at-spi2-core
  fonts-cantarell adwaita-icon-theme
  # manual pages (scdoc builds them; the man-pages test renders them with groff
  # and man), the shell completions' tests, the Flatpak manifest's test
  scdoc groff-base man-db bash-completion zsh fish flatpak-builder
  # fuzzing (tools/fuzz.sh): clang, and its sanitizer and libFuzzer runtimes,
  # only recommended by clang-14, which we install without recommends
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
