#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a C source or header, or an Erlang source (the fixtures, the
probe's programs) under src/ or tests/ has a line longer than
100 columns, the limit .editorconfig sets (max_line_length = 100), so that the
code reads in a side-by-side diff and wrapping by hand does not have to be done
again. Columns are characters, not bytes: "…" or "λ" count as one.

The probe's programs (*.exprs) must also be ASCII: they travel to the node as
a string literal of bytes.

Prints every offender as file:line: N columns and exits 1 if there is one."""

import sys
from pathlib import Path

LIMIT = 100
FOLDERS = ('src', 'tests')
SUFFIXES = {'.c', '.h', '.erl', '.exprs'}


def main(source_root):
    root = Path(source_root)
    offenders = 0

    for folder in FOLDERS:
        for path in sorted((root / folder).rglob('*')):
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            relative = path.relative_to(root).as_posix()
            text = path.read_text(encoding='utf-8')
            for number, line in enumerate(text.split('\n'), start=1):
                columns = len(line.rstrip('\r'))
                if columns > LIMIT:
                    print(f'{relative}:{number}: {columns} columns')
                    offenders += 1
                if path.suffix == '.exprs' and not line.isascii():
                    print(f'{relative}:{number}: not ASCII')
                    offenders += 1
    return 1 if offenders else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1]))
