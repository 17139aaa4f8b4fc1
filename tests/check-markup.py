#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keeps the node's and the user's text out of Pango markup (issue 12, finding 1).

libadwaita 1.2 reads some texts as markup: an AdwStatusPage's description, an AdwToast's
title, an AdwPreferencesGroup's title and description, and an AdwPreferencesRow's title
and an AdwActionRow's or AdwExpanderRow's subtitle while the row's use-markup is TRUE (its
default); GTK does for gtk_label_set_markup() and tooltips set as markup. A node that
answers "<span size='xx-large'>" there paints the page; one that answers "<b" blanks the
text and warns.

The rule, for every call in src/**/*.c to one of those setters (SETTERS below), on the
argument that is the text:

1. a string literal, _("literal"), C_("context", "literal") or NULL passes;
2. a variable passes if its name is `escaped` or `markup` (or ends in `_escaped` or
   `_markup`) and the same function assigns it from g_markup_escape_text() or
   g_markup_printf_escaped(): the name says what it holds, the assignment proves it;
3. a row's title or subtitle passes, whatever it is, if the same function has called
   adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (<the same row>), FALSE)
   before: the text is then not markup at all, which is better than escaping;
4. anything else fails, unless ALLOWED names it with the reason it is safe.

Turning markup on (gtk_label_set_use_markup, adw_message_dialog_set_*_use_markup with
TRUE), adw_toast_new_format() and adw_message_dialog_format_*_markup() (which format
arguments into markup unescaped) always need an ALLOWED entry.

In .ui files, `use-markup` set to True, and a <binding> or a bound property (bind-source)
feeding the title, subtitle or description of the widgets above, fail unless allowed:
text that comes from a binding is not a literal.

The check is lexical, not a C parser: it finds function bodies by braces, ignoring
comments and strings, which is enough for our GNU style. It does not see
g_object_set (..., "use-markup", TRUE): none is written, and review keeps it so.

Prints every offence as file:line and exits 1 if there is one."""

import pathlib
import re
import sys
import xml.etree.ElementTree as ET

SRC = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src")

# Setter: index of the text argument.
SETTERS = {
    "adw_status_page_set_description": 1,
    "adw_toast_new": 0,
    "adw_toast_set_title": 1,
    "adw_preferences_group_set_title": 1,
    "adw_preferences_group_set_description": 1,
    "adw_preferences_row_set_title": 1,
    "adw_action_row_set_subtitle": 1,
    "adw_expander_row_set_subtitle": 1,
    "gtk_label_set_markup": 1,
    "gtk_label_set_markup_with_mnemonic": 1,
    "gtk_widget_set_tooltip_markup": 1,
}
# Setters whose markup a row's use-markup turns off (rule 3).
ROW_SETTERS = {"adw_preferences_row_set_title", "adw_action_row_set_subtitle",
               "adw_expander_row_set_subtitle"}
# Calls that need an ALLOWED entry whatever their arguments.
ALWAYS_REVIEWED = {"adw_toast_new_format", "adw_message_dialog_format_body_markup",
                   "adw_message_dialog_format_heading_markup"}
# Calls that turn markup on: argument index of the boolean.
MARKUP_SWITCHES = {"gtk_label_set_use_markup": 1, "adw_message_dialog_set_body_use_markup": 1,
                   "adw_message_dialog_set_heading_use_markup": 1,
                   "adw_preferences_row_set_use_markup": 1}

# (file under src/, call, argument as written): why it is safe.
ALLOWED = {
    ("pages/system/beam-system-page.c", "adw_preferences_group_set_title",
     "_(group_titles[g])"): "a static table of N_() literals of ours",
    ("pages/system/beam-system-page.c", "adw_preferences_row_set_title",
     "_(field->title)"): "a static table of N_() literals of ours",
    ("pages/diagnostics/beam-diagnostics-page.c", "adw_preferences_row_set_title",
     "_(check_specs[check].title)"): "a static table of N_() literals of ours",
    ("pages/diagnostics/beam-diagnostics-page.c", "adw_expander_row_set_subtitle",
     "_(check_specs[check].description)"): "a static table of N_() literals of ours",
    ("pages/system/beam-system-page.c", "adw_action_row_set_subtitle",
     "_(field->subtitle)"): "a static table of N_() literals of ours",
}

MARKUP_WIDGETS = {"AdwStatusPage": {"description"},
                  "AdwPreferencesGroup": {"title", "description"},
                  "AdwActionRow": {"title", "subtitle"},
                  "AdwExpanderRow": {"title", "subtitle"},
                  "AdwComboRow": {"title", "subtitle"},
                  "AdwPreferencesRow": {"title"},
                  "AdwEntryRow": {"title"},
                  "AdwPasswordEntryRow": {"title"}}
# (file under src/, widget id or class, property): why it is safe.
ALLOWED_UI = {}

LITERAL = re.compile(r'^(?:"(?:[^"\\]|\\.)*"\s*)+$')
TRANSLATED = re.compile(r'^(?:_|N_|C_)\s*\(\s*(?:"(?:[^"\\]|\\.)*"\s*,\s*)?'
                        r'(?:"(?:[^"\\]|\\.)*"\s*)+\)$')
ESCAPED_NAME = re.compile(r'^(?:\w+_)?(?:escaped|markup)$')
CALL = re.compile(r'\b(' + '|'.join(sorted(set(SETTERS) | ALWAYS_REVIEWED | set(MARKUP_SWITCHES)))
                  + r')\s*\(')


def mask_comments(text):
    """Blanks comments (keeping newlines and offsets); strings stay as they are."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        else:
            i += 1
    return "".join(out)


def skip_string(text, i):
    quote = text[i]
    j = i + 1
    while j < len(text) and text[j] != quote:
        j += 2 if text[j] == "\\" else 1
    return j + 1


def function_bodies(text):
    """(start, end) of every top-level brace block: function bodies, and static tables."""
    bodies, depth, start, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        if c in "\"'":
            i = skip_string(text, i)
            continue
        if c == "{":
            if depth == 0:
                start = i
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                bodies.append((start, i + 1))
        i += 1
    return bodies


def arguments(text, open_paren):
    """The call's arguments as written, split at top-level commas, and the end offset."""
    args, depth, current, i = [], 0, [], open_paren + 1
    while i < len(text):
        c = text[i]
        if c in "\"'":
            j = skip_string(text, i)
            current.append(text[i:j])
            i = j
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append("".join(current).strip())
                return args, i
            depth -= 1
        elif c == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(c)
        i += 1
    return args, i


def normalise(arg):
    return re.sub(r"\s+", " ", arg).strip()


def row_expression(arg):
    """The row a setter's first argument names, without its cast macro."""
    arg = normalise(arg)
    m = re.match(r'^[A-Z_]+\s*\((.*)\)$', arg)
    return normalise(m.group(1)) if m else arg


def is_safe(arg, body_before):
    if arg == "NULL" or LITERAL.match(arg) or TRANSLATED.match(arg):
        return True
    if ESCAPED_NAME.match(arg):
        assigned = re.compile(r'\b' + re.escape(arg) + r'\s*=[^;]*\bg_markup_(?:escape_text|'
                              r'printf_escaped)\s*\(')
        return assigned.search(body_before) is not None
    return False


def markup_off_before(row, body_before):
    for m in re.finditer(r'\badw_preferences_row_set_use_markup\s*\(', body_before):
        args, _ = arguments(body_before, m.end() - 1)
        if len(args) == 2 and args[1] == "FALSE" and row_expression(args[0]) == row:
            return True
    return False


def check_c(path, rel, offences):
    text = mask_comments(path.read_text(encoding="utf-8"))
    for start, end in function_bodies(text):
        body = text[start:end]
        for m in CALL.finditer(body):
            name = m.group(1)
            args, _ = arguments(body, m.end() - 1)
            line = text.count("\n", 0, start + m.start()) + 1
            where = f"{rel}:{line}"
            if name in MARKUP_SWITCHES:
                index = MARKUP_SWITCHES[name]
                if len(args) > index and args[index] != "FALSE":
                    key = (rel, name, normalise(args[index]))
                    if key not in ALLOWED:
                        offences.append(f"{where}: {name} turns markup on: "
                                        "escape every text it shows, and allow it here")
                continue
            if name in ALWAYS_REVIEWED:
                key = (rel, name, normalise(args[0]) if args else "")
                if key not in ALLOWED:
                    offences.append(f"{where}: {name} formats unescaped arguments into "
                                    "markup: use g_markup_printf_escaped()")
                continue
            index = SETTERS[name]
            if len(args) <= index:
                continue
            arg = normalise(args[index])
            before = body[:m.start()]
            if is_safe(arg, before):
                continue
            if name in ROW_SETTERS and markup_off_before(row_expression(args[0]), before):
                continue
            if (rel, name, arg) in ALLOWED:
                continue
            offences.append(f"{where}: {name} reads `{arg}` as markup: pass a literal, "
                            "a variable `escaped`/`markup` from g_markup_escape_text() or "
                            "g_markup_printf_escaped(), or turn the row's markup off")


def check_ui(path, rel, offences):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        offences.append(f"{rel}: not XML: {e}")
        return
    for element in root.iter():
        if element.tag not in ("object", "template"):
            continue
        cls = element.get("class") or element.get("parent") or ""
        ident = element.get("id") or cls
        for child in element:
            name = (child.get("name") or "").replace("_", "-")
            if child.tag == "property" and name == "use-markup" and \
               (child.text or "").strip().lower() in ("true", "1", "yes"):
                if (rel, ident, name) not in ALLOWED_UI:
                    offences.append(f"{rel}: {ident} sets use-markup: its text becomes markup")
            watched = MARKUP_WIDGETS.get(cls, set())
            if name in watched and (child.tag == "binding" or
                                    (child.tag == "property" and child.get("bind-source"))):
                if (rel, ident, name) not in ALLOWED_UI:
                    offences.append(f"{rel}: {ident}'s {name} is bound, and read as markup")


def main():
    offences = []
    for path in sorted(SRC.rglob("*.c")):
        check_c(path, path.relative_to(SRC).as_posix(), offences)
    for path in sorted(SRC.rglob("*.ui")):
        check_ui(path, path.relative_to(SRC).as_posix(), offences)
    for offence in offences:
        print(offence)
    return 1 if offences else 0


if __name__ == "__main__":
    sys.exit(main())
