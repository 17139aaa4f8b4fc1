#!/usr/bin/env python3
"""`meson install` into a scratch folder, and what it put there.

Usage: check-install.py MESON BUILD_ROOT VERSION LINGUAS LOCALEDIR FILE...

FILE is every absolute path the install must create (the prefix's, before
DESTDIR), beamscope-cli first; LOCALEDIR is the prefix's locale folder, where each language of
po/LINGUAS has its beamscope.mo. Then the installed copies are used as a
user's system would: beamscope-cli --version runs, the schema folder
compiles with --strict, the desktop file and the metainfo validate, the man
pages render without a warning and the completions parse.
"""

import os
import shutil
import subprocess
import sys
import tempfile


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def run(*command, **kwargs):
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode != 0:
        fail(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done


def main():
    if len(sys.argv) < 6:
        fail(__doc__)
    meson, build_root, version, linguas, localedir = sys.argv[1:6]
    expected = sys.argv[6:]

    with open(linguas) as f:
        languages = [w for line in f for w in line.split("#")[0].split()]
    expected += [os.path.join(localedir, lang, "LC_MESSAGES", "beamscope.mo")
                 for lang in languages]

    with tempfile.TemporaryDirectory(prefix="beamscope-install-") as destdir:
        env = dict(os.environ)
        env.pop("DESTDIR", None)
        run(meson, "install", "-C", build_root, "--no-rebuild", "--destdir", destdir, env=env)

        def installed(path):
            return os.path.join(destdir, path.lstrip("/"))

        missing = [p for p in expected if not os.path.exists(installed(p))]
        if missing:
            fail("not installed:\n  " + "\n  ".join(missing))
        print(f"installed: {len(expected)} files")
        for path in expected:
            print(f"  {path}")

        # The first FILE is beamscope-cli.
        out = run(installed(expected[0]), "--version").stdout
        if out != f"beamscope-cli {version}\n":
            fail(f"installed beamscope-cli --version printed {out!r}")

        for path in map(installed, expected[1:]):
            name = os.path.basename(path)
            if name.endswith(".gschema.xml"):
                run("glib-compile-schemas", "--strict", "--dry-run", os.path.dirname(path))
            elif name.endswith(".desktop") and shutil.which("desktop-file-validate"):
                run("desktop-file-validate", path)
            elif name.endswith(".metainfo.xml") and shutil.which("appstream-util"):
                run("appstream-util", "validate-relax", "--nonet", path)
            elif name.endswith(".1") and shutil.which("groff"):
                groff = run("groff", "-man", "-ww", "-z", path)
                if groff.stderr.strip():
                    fail(f"{name} renders with warnings:\n{groff.stderr}")
            elif name == "_beamscope-cli" and shutil.which("zsh"):
                run("zsh", "-n", path)
            elif name.endswith(".fish") and shutil.which("fish"):
                run("fish", "--no-execute", path)
            elif "bash-completion" in path:
                run("bash", "-n", path)
    print("ok")


if __name__ == "__main__":
    main()
