#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every confirmation (AdwMessageDialog) is safe from the keyboard (issue 13):

- it sets a close response, so Escape and the window's close button answer
  as Cancel does (libadwaita's default is a "close" response no handler knows);
- it sets a default response, so Enter answers;
- the default is never a response drawn as destructive: Enter never kills,
  deletes or collects by accident. Where the default is an expression (a
  helper making both kinds), "cancel" must be among its choices.

A dialog is the code from adw_message_dialog_new up to the end of the
function that makes it (a helper such as a table window's confirmation()).
Prints every offence as file:line and exits 1 if there is one."""

import pathlib
import re
import sys

SRC = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")

NEW = re.compile(r'\badw_message_dialog_new\s*\(')
DEFAULT = re.compile(r'adw_message_dialog_set_default_response\s*\([^,]+,\s*(.+?)\);', re.S)
CLOSE = re.compile(r'adw_message_dialog_set_close_response\s*\(')
DESTRUCTIVE = re.compile(r'adw_message_dialog_set_response_appearance\s*\([^,]+,\s*"([^"]+)"'
                         r'\s*,\s*([^;]+)\);', re.S)


def function_body(text, start):
    """From `start` to the closing brace of the function around it."""
    depth = 0
    opening = text.rfind("\n{", 0, start)
    for i in range(opening + 1, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start:i]
    return text[start:]


def main():
    offences = []
    dialogs = 0
    for path in sorted(SRC.rglob("*.c")):
        text = path.read_text(encoding="utf-8")
        for match in NEW.finditer(text):
            dialogs += 1
            line = text.count("\n", 0, match.start()) + 1
            where = f"{path}:{line}"
            body = function_body(text, match.start())
            if not CLOSE.search(body):
                offences.append(f"{where}: no close response (Escape would answer \"close\")")
            default = DEFAULT.search(body)
            if default is None:
                offences.append(f"{where}: no default response (Enter would do nothing)")
                continue
            choice = default.group(1).strip()
            destructive = {m.group(1) for m in DESTRUCTIVE.finditer(body)
                           if "ADW_RESPONSE_DESTRUCTIVE" in m.group(2)}
            literal = re.fullmatch(r'"([^"]*)"', choice)
            if literal and literal.group(1) in destructive:
                offences.append(f"{where}: the default response \"{literal.group(1)}\" is "
                                "destructive: Enter would do it by accident")
            elif not literal and '"cancel"' not in choice:
                offences.append(f"{where}: the default response ({choice}) never is Cancel")
    for offence in offences:
        print(offence)
    print(f"{dialogs} dialogs, {len(offences)} offences")
    return 1 if offences or dialogs == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
