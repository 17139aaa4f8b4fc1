#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fails when a language in po/LINGUAS is not complete against today's
sources: the template is extracted afresh from po/POTFILES.in (the keywords of
meson's glib preset, as `meson compile beamscope-pot` uses), each catalog is
merged with it, and any untranslated or fuzzy message, a missing plural form
or an error `msgfmt -c` finds (a format that does not match its msgid) fails
the test, naming the messages."""

import subprocess
import sys
import tempfile
from pathlib import Path

# meson's i18n glib preset, plus xgettext's own C defaults (ngettext...).
XGETTEXT_ARGS = [
    '--from-code=UTF-8', '--add-comments',
    '--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
    '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3', '--keyword=g_dpgettext2:2c,3',
    '--flag=N_:1:pass-c-format', '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
    '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
    '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
    '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format',
    '--flag=g_markup_printf_escaped:1:c-format', '--flag=g_print:1:c-format',
    '--flag=g_printerr:1:c-format', '--flag=g_printf:1:c-format',
    '--flag=g_fprintf:2:c-format', '--flag=g_snprintf:3:c-format',
]


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def main(source_root):
    root = Path(source_root)
    languages = [line.strip() for line in
                 (root / 'po' / 'LINGUAS').read_text(encoding='utf-8').splitlines()
                 if line.strip() and not line.startswith('#')]
    if not languages:
        print('po/LINGUAS lists no language', file=sys.stderr)
        return 1
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        template = Path(scratch) / 'beamscope.pot'
        extract = run(['xgettext', *XGETTEXT_ARGS, '--files-from=po/POTFILES.in',
                       f'--output={template}'], cwd=root)
        if extract.returncode != 0:
            print(extract.stderr, file=sys.stderr)
            return 1
        for language in languages:
            catalog = root / 'po' / f'{language}.po'
            merged = Path(scratch) / f'{language}.po'
            merge = run(['msgmerge', '--quiet', '--no-fuzzy-matching', f'--output-file={merged}',
                         str(catalog), str(template)])
            if merge.returncode != 0:
                problems.append(f'{language}: msgmerge failed: {merge.stderr.strip()}')
                continue
            check = run(['msgfmt', '--check', '--statistics', '--output-file=/dev/null',
                         str(merged)])
            print(f'{language}: {check.stderr.strip()}')
            if check.returncode != 0:
                problems.append(f'{language}: msgfmt --check failed')
            for kind in ('--untranslated', '--only-fuzzy'):
                left = run(['msgattrib', kind, '--no-obsolete', '--no-wrap', str(merged)]).stdout
                ids = [line for line in left.splitlines() if line.startswith('msgid "')
                       and line != 'msgid ""']
                for line in ids[:40]:
                    problems.append(f'{language}: {kind[2:]}: {line[6:]}')
                if len(ids) > 40:
                    problems.append(f'{language}: ... and {len(ids) - 40} more {kind[2:]}')
            header = catalog.read_text(encoding='utf-8')
            if 'Plural-Forms: nplurals=' not in header:
                problems.append(f'{language}: no Plural-Forms header')
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1]))
