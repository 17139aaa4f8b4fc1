#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when the GSettings schema and src/ disagree: a key without a summary,
a key no .c or .ui file under src/ names (a
setting nothing reads), or a key name src/ hands to GSettings that the schema
does not have (g_settings_* calls, "changed::KEY" signals, a page's interval
key, a dropdown bound to its choices). A misspelt key is otherwise found only
when GLib aborts on it at run time, in the window that reads it."""

import re
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

SCHEMA = 'data/io.github.beamscope.Beamscope.gschema.xml'
# A key name as src/ hands it to GSettings: the second argument of a
# g_settings_* call (the first of g_settings_create_action's is the settings
# object too; g_settings_unbind's is a property) or of the page helpers that
# take a key, and signal details.
KEY_USES = [
    re.compile(r'\bg_settings_(?!unbind\b)[a-z_]+\s*\(\s*[^,()]+(?:\([^()]*\))?\s*,\s*"([a-z0-9-]+)"'),
    re.compile(r'\bg_settings_schema_has_key\s*\(\s*[^,]+,\s*"([a-z0-9-]+)"'),
    re.compile(r'\bbeam_page_class_set_interval_key\s*\(\s*[^,]+,\s*"([a-z0-9-]+)"'),
    re.compile(r'\bbeam_page_bind_choices\s*\(\s*[^,]+,\s*"([a-z0-9-]+)"'),
    re.compile(r'"changed::([a-z0-9-]+)"'),
]


def main(source_root):
    root = Path(source_root)
    schema = ElementTree.parse(root / SCHEMA).getroot()
    keys = {}
    problems = []

    for key in schema.iter('key'):
        name = key.get('name')
        keys[name] = key
        if not (key.findtext('summary') or '').strip():
            problems.append(f'{SCHEMA}: key {name} has no summary')

    sources = {}
    for path in sorted((root / 'src').rglob('*')):
        if path.suffix in {'.c', '.ui'} and path.is_file():
            sources[path.relative_to(root).as_posix()] = path.read_text(encoding='utf-8')
    texts = '\n'.join(sources.values())

    for name in keys:
        if f'"{name}"' not in texts and f'changed::{name}"' not in texts:
            problems.append(f'{SCHEMA}: key {name} is not named in any .c or .ui under src/')

    for relative, text in sources.items():
        for pattern in KEY_USES:
            for match in pattern.finditer(text):
                if match.group(1) not in keys:
                    line = text.count('\n', 0, match.start()) + 1
                    problems.append(f'{relative}:{line}: key {match.group(1)} '
                                    'is not in the schema')

    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f'{len(keys)} keys, all summarized and read; every key src/ names is in the schema')
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1]))
