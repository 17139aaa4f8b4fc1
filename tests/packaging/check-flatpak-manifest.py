#!/usr/bin/env python3
"""The Flatpak manifest as flatpak-builder reads it.

Usage: check-flatpak-manifest.py MANIFEST

`flatpak-builder --show-manifest` must accept it (it needs no network and no
runtime for that). Every downloaded source has a real sha256 (64 hex digits,
not a placeholder), Beamscope itself is built from this tree, and the
sandbox may read every cookie file Beamscope reads (src/wire/beam-cookie.c)
and reach the network (EPMD and the nodes' ports).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def sources(modules):
    for module in modules:
        if isinstance(module, str):  # an included file: --show-manifest inlines them
            fail(f"module {module} was not inlined")
        for source in module.get("sources", []):
            yield module["name"], source
        yield from sources(module.get("modules", []))


def main():
    if len(sys.argv) != 2:
        fail(__doc__)
    if shutil.which("flatpak-builder") is None:
        print("SKIP: no flatpak-builder")
        sys.exit(77)
    manifest_path = os.path.abspath(sys.argv[1])
    # flatpak-builder leaves its state folder (.flatpak-builder) where it runs.
    with tempfile.TemporaryDirectory() as scratch:
        shown = subprocess.run(["flatpak-builder", "--show-manifest", manifest_path],
                               capture_output=True, text=True, cwd=scratch)
    if shown.returncode != 0:
        fail(f"flatpak-builder --show-manifest failed:\n{shown.stderr}")
    manifest = json.loads(shown.stdout)

    downloads = 0
    for module, source in sources(manifest["modules"]):
        kind = source.get("type")
        if kind in ("archive", "file"):
            downloads += 1
            digest = source.get("sha256", "")
            if not re.fullmatch(r"[0-9a-f]{64}", digest):
                fail(f"{module}: {source.get('url')} has no real sha256: {digest!r}")
        elif kind == "git" and not re.fullmatch(r"[0-9a-f]{40}", source.get("commit", "")):
            fail(f"{module}: git source {source.get('url')} is not pinned to a commit")
        elif "sha256" in source and not re.fullmatch(r"[0-9a-f]{64}", source["sha256"]):
            fail(f"{module}: placeholder sha256 {source['sha256']!r}")
    if downloads == 0:
        fail("no downloaded source: where does erl_interface come from?")

    last = manifest["modules"][-1]
    tree = [(s.get("type"), s.get("path")) for s in last["sources"]]
    if last["name"] != "beamscope" or tree != [("dir", "..")]:
        fail("the last module must build Beamscope from this tree (type dir, path ..)")

    finish = set(manifest.get("finish-args", []))
    for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11",
                   "--device=dri", "--share=ipc", "--filesystem=~/.erlang.cookie:ro",
                   "--filesystem=xdg-config/erlang:ro"):
        if needed not in finish:
            fail(f"finish-args lack {needed}")
    if not re.fullmatch(r"\d+", str(manifest.get("runtime-version", ""))):
        fail(f"runtime-version {manifest.get('runtime-version')!r} is not a GNOME release")
    print(f"ok: {downloads} download(s) pinned, runtime "
          f"{manifest['runtime']} {manifest['runtime-version']}")


if __name__ == "__main__":
    main()
