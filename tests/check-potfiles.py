#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when po/POTFILES.in and the tree disagree: a file under src/ with
translatable strings that is not listed, a listed file that does not exist, or
a list out of order. The tree is read on every run, so renames are caught
without this script knowing any file name."""

import re
import sys
from pathlib import Path

MARKERS = re.compile(r'(?<![A-Za-z0-9_])(?:N|C|NC)?_\(|translatable="yes"')
SUFFIXES = {'.c', '.h', '.ui'}


def main(source_root):
    root = Path(source_root)
    lines = (root / 'po' / 'POTFILES.in').read_text(encoding='utf-8').splitlines()
    listed = [line.strip() for line in lines
              if line.strip() and not line.lstrip().startswith('#')]
    problems = []

    for path in listed:
        if not (root / path).is_file():
            problems.append(f'{path}: listed in po/POTFILES.in but does not exist')
    for before, after in zip(listed, listed[1:]):
        if after <= before:
            problems.append(f'po/POTFILES.in is not sorted: {after} comes after {before}')

    for path in sorted((root / 'src').rglob('*')):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        relative = path.relative_to(root).as_posix()
        if relative not in listed and MARKERS.search(path.read_text(encoding='utf-8')):
            problems.append(f'{relative}: has translatable strings but is not in po/POTFILES.in')

    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1]))
