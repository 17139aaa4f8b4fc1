#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps the house's floors apart (src/DESIGN.md):

- wire/, probe/ and model/ are GTK-free: no GTK, GDK or libadwaita header or call;
- no arrow runs back up: wire/ includes nothing of probe/ or model/, probe/ nothing
  of model/;
- pages speak no protocol: code under pages/ neither builds a request
  (beam_connection_*_async, beam_epmd_*) nor constructs or walks a term
  (beam_term_new_*, ->children[, ->kind, ->n_children, beam_term_lookup,
  beam_term_get_*), beyond the short list below.

Prints every offence as file:line and exits 1 if there is one."""

import pathlib
import re
import sys

SRC = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")

GTK_FREE = ("wire", "probe", "model")
GTK = re.compile(r'#include\s*<(gtk|gdk|adwaita)|\b(gtk|gdk|adw)_[a-z_]+\s*\(|\bGtk[A-Z]\w*')

# A folder may include headers of its own floor and the floors below only.
FLOORS = {"wire": {"wire"}, "probe": {"wire", "probe"}, "model": {"wire", "probe", "model"}}

PROTOCOL = re.compile(
    r'\bbeam_connection_\w+_async\b|\bbeam_epmd_\w+\b|\bbeam_term_new_\w+\b'
    r'|->children\s*\[|->kind\b|->n_children\b|\bbeam_term_lookup\b|\bbeam_term_get_\w+\b'
    r'|\bbeam_term_tagged\b')

# What pages may still do, and why: (file, what it calls).
AGREED = {
    # The connect screen lists the nodes EPMD knows before there is a node.
    ("pages/connect/beam-connect-page.c", "beam_epmd_"),
    # BeamCulprit's kind (process, port, table, scheduler): a plain struct the
    # diagnostics probe hands over, not a term's; the page includes no beam-term.h.
    ("pages/diagnostics/beam-diagnostics-page.c", "->kind"),
    # BeamTraceEvent's kind (call, send, sys...): an enum of the trace probe's
    # plain event struct, named and labelled; the view walks no term (its terms
    # go to the printer and a BeamTermView only).
    ("pages/trace/beam-trace-view.c", "->kind"),
    # BeamClusterAnomaly's kind (one-way, missing): a plain struct of the
    # cluster model's; the page walks no term.
    ("pages/cluster/beam-cluster-page.c", "->kind"),
}


def headers_by_floor():
    floor_of = {}
    for path in SRC.rglob("*.h"):
        top = path.relative_to(SRC).parts[0]
        floor_of[path.name] = top if top in FLOORS else "ui"
    return floor_of


def code_lines(path):
    """The file's lines with comments and string literals blanked out."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'/\*.*?\*/', lambda m: re.sub(r'[^\n]', ' ', m.group(0)), text, flags=re.S)
    lines = []
    for line in text.split("\n"):
        line = re.sub(r'//.*', '', line)
        if not line.lstrip().startswith("#include"):
            line = re.sub(r'"(\\.|[^"\\])*"', '""', line)
        lines.append(line)
    return lines


def main():
    offences = []
    floor_of = headers_by_floor()

    for path in sorted(SRC.rglob("*.[ch]")):
        rel = path.relative_to(SRC).as_posix()
        top = rel.split("/")[0]
        lines = code_lines(path)
        for number, line in enumerate(lines, 1):
            where = f"src/{rel}:{number}"
            if top in GTK_FREE and GTK.search(line):
                offences.append(f"{where}: GTK in {top}/, which must stay GTK-free")
            include = re.match(r'\s*#include\s*"([^"]+)"', line)
            if include and top in FLOORS:
                floor = floor_of.get(pathlib.Path(include.group(1)).name)
                if floor is not None and floor not in FLOORS[top]:
                    offences.append(f"{where}: {top}/ includes {include.group(1)} of {floor}/,"
                                    " a floor above it")
            if top == "pages":
                for match in PROTOCOL.finditer(line):
                    if any(rel == f and match.group(0).startswith(w) for f, w in AGREED):
                        continue
                    offences.append(f"{where}: a page speaks the protocol ({match.group(0)});"
                                    " ask a probe under probe/ for a struct instead")

    for offence in offences:
        print(offence)
    print(f"{len(offences)} offences")
    return 1 if offences else 0


if __name__ == "__main__":
    sys.exit(main())
