#!/usr/bin/env python3
"""The manual pages against the programs they describe.

Usage: check-man-pages.py CLI MAN_CLI [GUI MAN_GUI]

Each page renders without a warning (groff -ww, and man --warnings where
man-db is installed). beamscope-cli(1) has an entry under COMMANDS for every
command `beamscope-cli --help` lists, and every long option that --help and
each `COMMAND --help` list appear in it; beamscope(1) names every option of
`beamscope --help`. So a command or option added to the programs fails here
until the page says what it does.
"""

import os
import re
import shutil
import subprocess
import sys


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check_renders_cleanly(page):
    groff = subprocess.run(["groff", "-man", "-ww", "-z", page],
                           capture_output=True, text=True)
    if groff.returncode != 0 or groff.stderr.strip():
        fail(f"groff -man -ww warns on {page}:\n{groff.stderr}")
    if shutil.which("man"):
        env = dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat")
        man = subprocess.run(["man", "--warnings", "-l", page], capture_output=True,
                             text=True, env=env)
        if man.returncode != 0 or man.stderr.strip():
            fail(f"man --warnings -l warns on {page}:\n{man.stderr}")


def render(page):
    """The page as plain text, bold and underline stripped."""
    text = subprocess.run(["groff", "-man", "-Tutf8", "-P", "-cbou", page],
                          capture_output=True, text=True, check=True).stdout
    return text


def help_text(program, *args):
    env = dict(os.environ, LC_ALL="C.UTF-8", LANGUAGE="")
    run = subprocess.run([program, *args, "--help"], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        fail(f"{program} {' '.join(args)} --help exited {run.returncode}: {run.stderr}")
    return run.stdout


def long_options(help_output):
    """The --options a GOption help lists, but GLib's own --help-* ones."""
    options = set()
    for line in help_output.splitlines():
        match = re.match(r"\s+(?:-\w, )?(--[\w-]+)", line)
        if match and not match.group(1).startswith("--help"):
            options.add(match.group(1))
    return options


def listed_commands(help_output):
    section = help_output.split("\nCommands:\n", 1)
    if len(section) != 2:
        fail("beamscope-cli --help has no Commands: section")
    commands = []
    for line in section[1].splitlines():
        if not line.startswith("  "):
            break
        commands.append(line.split()[0])
    return commands


def section(text, name):
    match = re.search(rf"^{name}\n(.*?)(?=^[A-Z][A-Z ]+\n)", text, re.M | re.S)
    if not match:
        fail(f"no {name} section")
    return match.group(1)


def check_cli(cli, page):
    check_renders_cleanly(page)
    text = render(page)
    main_help = help_text(cli)
    commands = listed_commands(main_help)
    if len(commands) < 10:
        fail(f"only {len(commands)} commands read from --help: {commands}")
    entries = set(re.findall(r"^ {7}([a-z][\w-]*)", section(text, "COMMANDS"), re.M))
    missing = [c for c in commands if c not in entries]
    if missing:
        fail(f"beamscope-cli(1) has no COMMANDS entry for: {', '.join(missing)}")
    options = long_options(main_help)
    for command in commands:
        options |= long_options(help_text(cli, command))
    missing = sorted(o for o in options if o not in text)
    if missing:
        fail(f"beamscope-cli(1) does not name: {', '.join(missing)}")
    print(f"beamscope-cli(1): {len(commands)} commands, {len(options)} options")


def check_gui(gui, page):
    check_renders_cleanly(page)
    text = render(page)
    env_help = help_text(gui)
    options = long_options(env_help)
    missing = sorted(o for o in options if o not in text)
    if missing:
        fail(f"beamscope(1) does not name: {', '.join(missing)}")
    print(f"beamscope(1): {len(options)} options")


def main():
    if len(sys.argv) not in (3, 5):
        fail(__doc__)
    check_cli(sys.argv[1], sys.argv[2])
    if len(sys.argv) == 5:
        check_gui(sys.argv[3], sys.argv[4])


if __name__ == "__main__":
    main()
