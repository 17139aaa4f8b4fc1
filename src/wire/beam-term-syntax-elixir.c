/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How Elixir spells a term: Kernel.inspect/2 with no limits, as Elixir 1.14
 * prints it. Atoms follow Macro.inspect_atom/2; its Unicode identifier rules
 * are approximated with GLib's character data. A table for the walker in
 * beam-term-printer.c, apart from Erlang's so that each syntax's rules read
 * in one place.
 *
 * Elixir names closures after the function that created them, which ETF does
 * not carry, so our #Function<...> cannot match Elixir's. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <math.h>
#include <string.h>

#include "beam-term-printer-private.h"

/* Inspect.Float: whole numbers below 1e16 as an integer and ".0". */
static void
append_float_elixir (GString *out,
                     double   v)
{
  double a = fabs (v);

  if (isfinite (v) && a >= 1.0 && a < 1e16 && trunc (v) == v)
    g_string_append_printf (out, "%.0f.0", v);
  else
    _beam_term_append_float_erlang (out, v);
}

/* Atoms and text */

/* Code.Identifier.escape/2 for one character. */
static void
ex_append_char (GString  *out,
                gunichar  c)
{
  switch (c)
    {
    case 7:    g_string_append (out, "\\a"); return;
    case '\b': g_string_append (out, "\\b"); return;
    case 127:  g_string_append (out, "\\d"); return;
    case 27:   g_string_append (out, "\\e"); return;
    case '\f': g_string_append (out, "\\f"); return;
    case '\n': g_string_append (out, "\\n"); return;
    case '\r': g_string_append (out, "\\r"); return;
    case '\t': g_string_append (out, "\\t"); return;
    case '\v': g_string_append (out, "\\v"); return;
    case '\\': g_string_append (out, "\\\\"); return;
    case 0:    g_string_append (out, "\\0"); return;
    case 0xfeff: g_string_append (out, "\\uFEFF"); return;
    default:
      break;
    }

  if ((c >= 32 && c <= 126) || (c >= 160 && c <= 0xd7ff) ||
      (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff))
    g_string_append_unichar (out, c);
  else if (c < 256)
    g_string_append_printf (out, "\\x%02X", c);
  else if (c < 0x10000)
    g_string_append_printf (out, "\\x{%04X}", c);
  else
    g_string_append_printf (out, "\\x{%06X}", c);
}

/* Code.Identifier.escape/3 on a UTF-8 string: the quote and "#{" get a
 * backslash, bytes that are not UTF-8 become \xHH. Stops after `limit`
 * characters (0: no limit); returns TRUE if it stopped early. */
static gboolean
ex_append_escaped (GString    *out,
                   const char *s,
                   gsize       len,
                   char        quote,
                   guint       limit)
{
  const char *end = s + len;
  guint count = 0;

  while (s < end)
    {
      gunichar c;

      if (limit > 0 && count == limit)
        return TRUE;
      count++;

      if (*s == quote)
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, quote);
          s++;
          continue;
        }
      if (*s == '#' && s + 1 < end && s[1] == '{')
        {
          g_string_append (out, "\\#{");
          s += 2;
          continue;
        }

      c = g_utf8_get_char_validated (s, end - s);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02X", (guint8) *s);
          s++;
          continue;
        }
      ex_append_char (out, c);
      s = g_utf8_next_char (s);
    }
  return FALSE;
}

typedef enum
{
  EX_ALIAS,
  EX_IDENTIFIER,
  EX_UNQUOTED_OPERATOR,
  EX_QUOTED_OPERATOR,
  EX_NOT_CALLABLE,
  EX_OTHER,
} ExAtomClass;

static gboolean
in_list (const char         *name,
         const char * const *list,
         gsize               n)
{
  for (gsize i = 0; i < n; i++)
    if (strcmp (name, list[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Macro's valid_alias?/1: Elixir(.Upper[A-Za-z0-9_]*)* */
static gboolean
ex_valid_alias (const char *name)
{
  const char *s;

  if (!g_str_has_prefix (name, "Elixir"))
    return FALSE;
  s = name + strlen ("Elixir");
  while (*s != '\0')
    {
      if (s[0] != '.' || !(s[1] >= 'A' && s[1] <= 'Z'))
        return FALSE;
      s += 2;
      while (g_ascii_isalnum (*s) || *s == '_')
        s++;
    }
  return TRUE;
}

typedef enum
{
  EX_CHAR_NONE,
  EX_CHAR_UPPER,     /* starts an atom like :Ñandu */
  EX_CHAR_START,     /* starts an identifier */
  EX_CHAR_CONTINUE,  /* only inside an identifier */
  EX_CHAR_MICRO,     /* U+00B5, which Elixir accepts but normalises away */
} ExCharClass;

/* Unicode's ID_Start/ID_Continue, which String.Tokenizer builds on, less the
 * characters NFKC would change: Elixir refuses those in identifiers. */
static ExCharClass
ex_char_class (gunichar c)
{
  char utf8[8];
  g_autofree char *nfkc = NULL;
  GUnicodeType type;

  if (c == 0xb5)
    return EX_CHAR_MICRO;

  utf8[g_unichar_to_utf8 (c, utf8)] = '\0';
  nfkc = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL || strcmp (nfkc, utf8) != 0)
    return EX_CHAR_NONE;

  /* The categories of Unicode's ID_Start and ID_Continue; tests, not a
   * switch, as most of the thirty categories say nothing here. */
  type = g_unichar_type (c);
  if (type == G_UNICODE_UPPERCASE_LETTER || type == G_UNICODE_TITLECASE_LETTER)
    return EX_CHAR_UPPER;
  if (type == G_UNICODE_LOWERCASE_LETTER || type == G_UNICODE_MODIFIER_LETTER ||
      type == G_UNICODE_OTHER_LETTER || type == G_UNICODE_LETTER_NUMBER)
    return EX_CHAR_START;
  if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
      type == G_UNICODE_DECIMAL_NUMBER || type == G_UNICODE_CONNECT_PUNCTUATION)
    return EX_CHAR_CONTINUE;

  /* Other_ID_Start and Other_ID_Continue */
  if (c == 0x1885 || c == 0x1886 || c == 0x2118 || c == 0x212e || c == 0x309b || c == 0x309c)
    return EX_CHAR_START;
  if (c == 0xb7 || c == 0x387 || (c >= 0x1369 && c <= 0x1371) || c == 0x19da)
    return EX_CHAR_CONTINUE;
  return EX_CHAR_NONE;
}

/* Greek small mu is what the micro sign normalises to, so Elixir lets it
 * mix with any script, like a digit. */
static GUnicodeScript
ex_script (gunichar c)
{
  return c == 0x3bc ? G_UNICODE_SCRIPT_COMMON : g_unichar_get_script (c);
}

/* String.Tokenizer refuses identifiers that mix scripts, except the mixes a
 * Japanese, Chinese or Korean name legitimately has. */
static gboolean
ex_scripts_allowed (const char *name)
{
  static const GUnicodeScript japanese[] = {
    G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN, G_UNICODE_SCRIPT_HIRAGANA,
    G_UNICODE_SCRIPT_KATAKANA,
  };
  static const GUnicodeScript chinese[] = {
    G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN, G_UNICODE_SCRIPT_BOPOMOFO,
  };
  static const GUnicodeScript korean[] = {
    G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN, G_UNICODE_SCRIPT_HANGUL,
  };
  static const struct { const GUnicodeScript *scripts; guint n; } restrictive[] = {
    { japanese, G_N_ELEMENTS (japanese) },
    { chinese, G_N_ELEMENTS (chinese) },
    { korean, G_N_ELEMENTS (korean) },
  };
  GUnicodeScript single = G_UNICODE_SCRIPT_INVALID_CODE;
  gboolean mixed = FALSE;

  for (const char *s = name; *s != '\0'; s = g_utf8_next_char (s))
    {
      GUnicodeScript script = ex_script (g_utf8_get_char (s));

      if (script == G_UNICODE_SCRIPT_COMMON || script == G_UNICODE_SCRIPT_INHERITED)
        continue;
      if (single == G_UNICODE_SCRIPT_INVALID_CODE)
        single = script;
      else if (script != single)
        mixed = TRUE;
    }
  if (!mixed)
    return TRUE;

  for (guint r = 0; r < G_N_ELEMENTS (restrictive); r++)
    {
      gboolean all = TRUE;

      for (const char *s = name; all && *s != '\0'; s = g_utf8_next_char (s))
        {
          GUnicodeScript script = ex_script (g_utf8_get_char (s));
          gboolean found = script == G_UNICODE_SCRIPT_COMMON ||
                           script == G_UNICODE_SCRIPT_INHERITED;

          for (guint i = 0; !found && i < restrictive[r].n; i++)
            found = restrictive[r].scripts[i] == script;
          all = found;
        }
      if (all)
        return TRUE;
    }
  return FALSE;
}

/* Macro.inner_classify/1 */
static ExAtomClass
ex_classify (const char *name)
{
  static const char * const not_callable[] = {
    "%", "%{}", "{}", "<<>>", "...", "..", ".", "..//", "->",
  };
  static const char * const quoted_ops[] = { "::", "^^^", "~~~", "<|>" };
  static const char * const operators[] = {
    /* unary */
    "!", "@", "&", "^", "not", "+", "-",
    /* binary, but not "//" */
    "<-", "\\\\", "when", "|", "=", "||", "|||", "or", "&&", "&&&", "and",
    "==", "!=", "=~", "===", "!==", "<", "<=", ">=", ">", "|>", "<<<", ">>>",
    "<~", "~>", "<<~", "~>>", "<~>", "in", "++", "--", "<>", "+++", "---",
    "*", "/", "**",
  };
  const char *s = name;
  gunichar c;
  gboolean kind_identifier;
  gboolean ascii = TRUE;
  gboolean at = FALSE;
  gboolean nfkc = FALSE;

  if (in_list (name, not_callable, G_N_ELEMENTS (not_callable)))
    return EX_NOT_CALLABLE;
  if (in_list (name, quoted_ops, G_N_ELEMENTS (quoted_ops)))
    return EX_QUOTED_OPERATOR;
  if (in_list (name, operators, G_N_ELEMENTS (operators)))
    return EX_UNQUOTED_OPERATOR;
  if (ex_valid_alias (name))
    return EX_ALIAS;

  /* String.Tokenizer.tokenize/1: the whole name must be one identifier. */
  c = g_utf8_get_char (s);
  if (c >= 'A' && c <= 'Z')
    kind_identifier = FALSE;
  else if ((c >= 'a' && c <= 'z') || c == '_')
    kind_identifier = TRUE;
  else if (c < 128)
    return EX_OTHER;
  else
    {
      ascii = FALSE;
      switch (ex_char_class (c))
        {
        case EX_CHAR_UPPER:
          kind_identifier = FALSE;
          break;
        case EX_CHAR_START:
          kind_identifier = TRUE;
          break;
        case EX_CHAR_MICRO:
          kind_identifier = TRUE;
          nfkc = TRUE;
          break;
        case EX_CHAR_CONTINUE:
        case EX_CHAR_NONE:
        default:
          return EX_OTHER;
        }
    }
  s = g_utf8_next_char (s);

  while (*s != '\0')
    {
      c = g_utf8_get_char (s);
      s = g_utf8_next_char (s);

      if (c == '!' || c == '?')
        {
          if (*s != '\0')
            return EX_OTHER;
          break;
        }
      else if (c == '@')
        at = TRUE;
      else if (c < 128 && (g_ascii_isalnum (c) || c == '_'))
        continue;
      else if (c < 128)
        return EX_OTHER;
      else
        {
          ExCharClass klass = ex_char_class (c);

          ascii = FALSE;
          if (klass == EX_CHAR_MICRO)
            nfkc = TRUE;
          else if (klass == EX_CHAR_NONE)
            return EX_OTHER;
        }
    }

  if (!ascii)
    {
      g_autofree char *nfc = g_utf8_normalize (name, -1, G_NORMALIZE_NFC);

      if (nfc == NULL || strcmp (nfc, name) != 0)
        nfkc = TRUE;
      if (!ex_scripts_allowed (name))
        return EX_OTHER;
    }

  if (!kind_identifier || at)
    return EX_NOT_CALLABLE;
  if (nfkc)
    return EX_OTHER;
  return EX_IDENTIFIER;
}

static void
ex_append_quoted (GString    *out,
                  const char *name)
{
  g_string_append_c (out, '"');
  ex_append_escaped (out, name, strlen (name), '"', 0);
  g_string_append_c (out, '"');
}

/* Macro.inspect_atom(:literal, atom) */
static void
ex_append_atom (GString    *out,
                const char *name)
{
  if (strcmp (name, "nil") == 0 || strcmp (name, "true") == 0 || strcmp (name, "false") == 0)
    {
      g_string_append (out, name);
      return;
    }

  switch (ex_classify (name))
    {
    case EX_ALIAS:
      if (strcmp (name, "Elixir") == 0 || strcmp (name, "Elixir.Elixir") == 0 ||
          g_str_has_prefix (name, "Elixir.Elixir."))
        g_string_append (out, name);
      else
        g_string_append (out, name + strlen ("Elixir."));
      break;

    case EX_IDENTIFIER:
    case EX_UNQUOTED_OPERATOR:
    case EX_NOT_CALLABLE:
      g_string_append_c (out, ':');
      g_string_append (out, name);
      break;

    case EX_QUOTED_OPERATOR:
    case EX_OTHER:
    default:
      g_string_append_c (out, ':');
      ex_append_quoted (out, name);
      break;
    }
}

/* Macro.inspect_atom(:key, atom), with the colon */
static void
ex_append_key (GString    *out,
               const char *name)
{
  switch (ex_classify (name))
    {
    case EX_ALIAS:
      g_string_append_printf (out, "\"%s\":", name);
      break;

    case EX_IDENTIFIER:
    case EX_UNQUOTED_OPERATOR:
    case EX_NOT_CALLABLE:
      g_string_append (out, name);
      g_string_append_c (out, ':');
      break;

    case EX_QUOTED_OPERATOR:
    case EX_OTHER:
    default:
      ex_append_quoted (out, name);
      g_string_append_c (out, ':');
      break;
    }
}

/* Macro.inspect_atom(:remote_call, atom) */
static void
ex_append_remote (GString    *out,
                  const char *name)
{
  switch (ex_classify (name))
    {
    case EX_IDENTIFIER:
    case EX_UNQUOTED_OPERATOR:
    case EX_QUOTED_OPERATOR:
      g_string_append (out, name);
      break;

    case EX_NOT_CALLABLE:
    case EX_ALIAS:
      g_string_append_printf (out, "\"%s\"", name);
      break;

    case EX_OTHER:
    default:
      ex_append_quoted (out, name);
      break;
    }
}

/* Terms */

/* List.ascii_printable?/1 */
static gboolean
ex_printable_ascii (gunichar c)
{
  return (c >= 7 && c <= 13) || c == 27 || (c >= 32 && c <= 126);
}

/* String.printable?/1 */
static gboolean
ex_printable_string (const char *data,
                     gsize       size)
{
  const char *end = data + size;

  while (data < end)
    {
      gunichar c = g_utf8_get_char_validated (data, end - data);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        return FALSE;
      if (!((c >= 32 && c <= 126) || (c >= 7 && c <= 13) || c == 27 || c == 127 ||
            (c >= 160 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
            (c >= 0x10000 && c <= 0x10ffff)))
        return FALSE;
      data = g_utf8_next_char (data);
    }
  return TRUE;
}

/* Inspect.List.keyword?/1, for one key: an atom, but not an alias. */
static gboolean
ex_is_key (const BeamTerm *term)
{
  return term->kind == BEAM_TERM_ATOM && !g_str_has_prefix (term->v.atom.name, "Elixir.");
}

static void
ex_print_bytes (BeamTermPrinter *p,
                const BeamTerm  *term)
{
  gboolean has_tail = term->kind == BEAM_TERM_BITSTRING && _beam_term_is_sane_bitstring (term);
  gsize whole = term->v.bytes.size - (has_tail ? 1 : 0);

  g_string_append (p->out, "<<");
  for (gsize i = 0; i < whole; i++)
    {
      if (i > 0)
        g_string_append (p->out, ", ");
      if (_beam_term_printer_elided (p, i))
        {
          g_string_append (p->out, "...>>");
          return;
        }
      g_string_append_printf (p->out, "%u", term->v.bytes.data[i]);
    }
  if (has_tail)
    g_string_append_printf (p->out, "%s%u::size(%u)", whole > 0 ? ", " : "",
                            _beam_term_bitstring_tail (term), term->v.bytes.last_bits);
  g_string_append (p->out, ">>");
}

static void
ex_print_binary (BeamTermPrinter *p,
                 const BeamTerm  *term)
{
  const char *data = (const char *) term->v.bytes.data;
  gsize size = term->v.bytes.size;

  if (size == 0)
    {
      g_string_append (p->out, "\"\"");
      return;
    }
  if (!ex_printable_string (data, size))
    {
      ex_print_bytes (p, term);
      return;
    }

  g_string_append_c (p->out, '"');
  if (ex_append_escaped (p->out, data, size, '"', p->max_width))
    g_string_append (p->out, "\" <> ...");
  else
    g_string_append_c (p->out, '"');
}

static void
ex_print_charlist (BeamTermPrinter *p,
                   const BeamTerm  *term)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < term->n_children; i++)
    g_string_append_c (text, (char) term->children[i]->v.integer);

  g_string_append_c (p->out, '\'');
  if (ex_append_escaped (p->out, text->str, text->len, '\'', p->max_width))
    g_string_append (p->out, "' ++ ...");
  else
    g_string_append_c (p->out, '\'');
}

static void
ex_print_fun (BeamTermPrinter *p,
              const BeamTerm  *term)
{
  if (term->v.fun.is_export)
    {
      g_string_append_c (p->out, '&');
      ex_append_atom (p->out, term->v.fun.module);
      g_string_append_c (p->out, '.');
      ex_append_remote (p->out, term->v.fun.function);
      g_string_append_printf (p->out, "/%u", term->v.fun.arity);
    }
  else
    {
      /* Elixir would add the creating function's name, which ETF lacks. */
      g_string_append_printf (p->out, "#Function<%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT "/%u in ",
                              term->v.fun.index, term->v.fun.uniq, term->v.fun.arity);
      ex_append_atom (p->out, term->v.fun.module);
      g_string_append_c (p->out, '>');
    }
}

/* Structs */

/* The value of atom key `key` in a map, or NULL. */
static const BeamTerm *
ex_field (const BeamTerm *map,
          const char     *key)
{
  for (guint i = 0; i + 1 < map->n_children; i += 2)
    if (map->children[i]->kind == BEAM_TERM_ATOM &&
        strcmp (map->children[i]->v.atom.name, key) == 0)
      return map->children[i + 1];
  return NULL;
}

static gboolean
ex_int_field (const BeamTerm *map,
              const char     *key,
              gint64          min,
              gint64          max,
              gint64         *value)
{
  const BeamTerm *field = ex_field (map, key);

  if (field == NULL || field->kind != BEAM_TERM_INTEGER ||
      field->v.integer < min || field->v.integer > max)
    return FALSE;
  *value = field->v.integer;
  return TRUE;
}

/* Whether the map has exactly these keys besides __struct__ (NULL-ended). */
static gboolean
ex_has_fields (const BeamTerm     *map,
               const char * const *keys)
{
  guint n = 0;

  for (; keys[n] != NULL; n++)
    if (ex_field (map, keys[n]) == NULL)
      return FALSE;
  return map->n_children / 2 == n + 1;
}

static gboolean
ex_is_iso (const BeamTerm *map)
{
  const BeamTerm *calendar = ex_field (map, "calendar");

  return calendar != NULL && calendar->kind == BEAM_TERM_ATOM &&
         strcmp (calendar->v.atom.name, "Elixir.Calendar.ISO") == 0;
}

/* Calendar.ISO's date: the year in four digits at least, signed. */
static gboolean
ex_append_date (GString        *out,
                const BeamTerm *map)
{
  gint64 year, month, day;

  if (!ex_is_iso (map) || !ex_int_field (map, "year", -9999, 9999, &year) ||
      !ex_int_field (map, "month", 1, 12, &month) || !ex_int_field (map, "day", 1, 31, &day))
    return FALSE;
  g_string_append_printf (out, "%s%04" G_GINT64_FORMAT "-%02" G_GINT64_FORMAT "-%02"
                          G_GINT64_FORMAT, year < 0 ? "-" : "", ABS (year), month, day);
  return TRUE;
}

/* Calendar.ISO's time: as many fraction digits as the microsecond's precision. */
static gboolean
ex_append_time (GString        *out,
                const BeamTerm *map)
{
  const BeamTerm *micro = ex_field (map, "microsecond");
  gint64 hour, minute, second;
  gint64 us, precision;

  if (!ex_is_iso (map) || !ex_int_field (map, "hour", 0, 23, &hour) ||
      !ex_int_field (map, "minute", 0, 59, &minute) ||
      !ex_int_field (map, "second", 0, 60, &second) ||
      micro == NULL || micro->kind != BEAM_TERM_TUPLE || micro->n_children != 2 ||
      micro->children[0]->kind != BEAM_TERM_INTEGER ||
      micro->children[1]->kind != BEAM_TERM_INTEGER)
    return FALSE;
  us = micro->children[0]->v.integer;
  precision = micro->children[1]->v.integer;
  if (us < 0 || us > 999999 || precision < 0 || precision > 6)
    return FALSE;
  g_string_append_printf (out, "%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT ":%02"
                          G_GINT64_FORMAT, hour, minute, second);
  if (precision > 0)
    {
      char digits[8];

      g_snprintf (digits, sizeof digits, "%06" G_GINT64_FORMAT, us);
      g_string_append_printf (out, ".%.*s", (int) precision, digits);
    }
  return TRUE;
}

/* DateTime: ~U[...] in UTC, #DateTime<... +01:00 CET Europe/Paris> elsewhere. */
static gboolean
ex_append_date_time (GString        *out,
                     const BeamTerm *map)
{
  static const char * const keys[] = {
    "calendar", "year", "month", "day", "hour", "minute", "second", "microsecond",
    "time_zone", "zone_abbr", "utc_offset", "std_offset", NULL,
  };
  const BeamTerm *zone = ex_field (map, "time_zone");
  const BeamTerm *abbr = ex_field (map, "zone_abbr");
  g_autoptr(GString) text = g_string_new (NULL);
  gint64 utc_offset, std_offset, offset;

  /* Elixir writes the zone's names as they are; ours must be text. */
  if (!ex_has_fields (map, keys) || zone->kind != BEAM_TERM_BINARY ||
      abbr->kind != BEAM_TERM_BINARY ||
      !ex_printable_string ((const char *) zone->v.bytes.data, zone->v.bytes.size) ||
      !ex_printable_string ((const char *) abbr->v.bytes.data, abbr->v.bytes.size) ||
      !ex_int_field (map, "utc_offset", -86400, 86400, &utc_offset) ||
      !ex_int_field (map, "std_offset", -86400, 86400, &std_offset) ||
      !ex_append_date (text, map))
    return FALSE;
  g_string_append_c (text, ' ');
  if (!ex_append_time (text, map))
    return FALSE;

  if (zone->v.bytes.size == strlen ("Etc/UTC") &&
      memcmp (zone->v.bytes.data, "Etc/UTC", zone->v.bytes.size) == 0 &&
      utc_offset == 0 && std_offset == 0)
    {
      g_string_append_printf (out, "~U[%sZ]", text->str);
      return TRUE;
    }
  offset = utc_offset + std_offset;
  g_string_append_printf (out, "#DateTime<%s%c%02" G_GINT64_FORMAT ":%02" G_GINT64_FORMAT " ",
                          text->str, offset < 0 ? '-' : '+', ABS (offset) / 3600,
                          ABS (offset) % 3600 / 60);
  g_string_append_len (out, (const char *) abbr->v.bytes.data, abbr->v.bytes.size);
  g_string_append_c (out, ' ');
  g_string_append_len (out, (const char *) zone->v.bytes.data, zone->v.bytes.size);
  g_string_append_c (out, '>');
  return TRUE;
}

/* The sigils and calls Elixir 1.14's Inspect implementations print for the
 * standard library's structs; FALSE for a struct printed as %Name{...}. */
static gboolean
ex_print_known_struct (BeamTermPrinter *p,
                       const char      *name,
                       const BeamTerm  *term,
                       guint            depth)
{
  static const char * const date_keys[] = { "calendar", "year", "month", "day", NULL };
  static const char * const time_keys[] = {
    "calendar", "hour", "minute", "second", "microsecond", NULL,
  };
  static const char * const naive_keys[] = {
    "calendar", "year", "month", "day", "hour", "minute", "second", "microsecond", NULL,
  };
  static const char * const range_keys[] = { "first", "last", "step", NULL };
  static const char * const map_set_keys[] = { "map", "version", NULL };
  g_autoptr(GString) text = g_string_new (NULL);

  if (strcmp (name, "Elixir.Date") == 0 && ex_has_fields (term, date_keys) &&
      ex_append_date (text, term))
    g_string_append_printf (p->out, "~D[%s]", text->str);
  else if (strcmp (name, "Elixir.Time") == 0 && ex_has_fields (term, time_keys) &&
           ex_append_time (text, term))
    g_string_append_printf (p->out, "~T[%s]", text->str);
  else if (strcmp (name, "Elixir.NaiveDateTime") == 0 && ex_has_fields (term, naive_keys) &&
           ex_append_date (text, term) && (g_string_append_c (text, ' '), TRUE) &&
           ex_append_time (text, term))
    g_string_append_printf (p->out, "~N[%s]", text->str);
  else if (strcmp (name, "Elixir.DateTime") == 0 && ex_append_date_time (text, term))
    g_string_append (p->out, text->str);
  else if (strcmp (name, "Elixir.Range") == 0 && ex_has_fields (term, range_keys) &&
           ex_field (term, "first")->kind == BEAM_TERM_INTEGER &&
           ex_field (term, "last")->kind == BEAM_TERM_INTEGER &&
           ex_field (term, "step")->kind == BEAM_TERM_INTEGER &&
           ex_field (term, "step")->v.integer != 0)
    {
      gint64 first = ex_field (term, "first")->v.integer;
      gint64 last = ex_field (term, "last")->v.integer;
      gint64 step = ex_field (term, "step")->v.integer;

      g_string_append_printf (p->out, "%" G_GINT64_FORMAT "..%" G_GINT64_FORMAT, first, last);
      if (step != 1 || last < first)
        g_string_append_printf (p->out, "//%" G_GINT64_FORMAT, step);
    }
  else if (strcmp (name, "Elixir.MapSet") == 0 && ex_has_fields (term, map_set_keys) &&
           ex_field (term, "map")->kind == BEAM_TERM_MAP)
    {
      const BeamTerm *set = ex_field (term, "map");

      g_string_append (p->out, "MapSet.new([");
      if (set->n_children > 0 && _beam_term_printer_collapsed (p, depth))
        g_string_append (p->out, "...");
      for (guint i = 0; i < set->n_children / 2 && !_beam_term_printer_collapsed (p, depth); i++)
        {
          if (i > 0)
            g_string_append (p->out, ", ");
          if (_beam_term_printer_elided (p, i))
            {
              g_string_append (p->out, "...");
              break;
            }
          _beam_term_printer_print (p, set->children[2 * i], depth + 1);
        }
      g_string_append (p->out, "])");
    }
  else
    return FALSE;
  return TRUE;
}

/* A map with an alias as its :__struct__ and only atom keys prints as
 * %Name{key: value}, as Inspect.Any does for a struct, with no __struct__ and
 * no __exception__ key. Elixir lists the fields in the order the module
 * defines them, which is not in the term: ours are in the map's order. */
static gboolean
ex_print_struct (BeamTermPrinter *p,
                 const BeamTerm  *term,
                 guint            depth)
{
  const BeamTerm *name = ex_field (term, "__struct__");
  guint shown = 0;

  if (name == NULL || name->kind != BEAM_TERM_ATOM || ex_classify (name->v.atom.name) != EX_ALIAS)
    return FALSE;
  for (guint i = 0; i < term->n_children; i += 2)
    if (term->children[i]->kind != BEAM_TERM_ATOM)
      return FALSE;

  if (ex_print_known_struct (p, name->v.atom.name, term, depth))
    return TRUE;

  g_string_append_c (p->out, '%');
  ex_append_atom (p->out, name->v.atom.name);
  g_string_append_c (p->out, '{');
  for (guint i = 0; i < term->n_children; i += 2)
    {
      const char *key = term->children[i]->v.atom.name;

      if (strcmp (key, "__struct__") == 0 || strcmp (key, "__exception__") == 0)
        continue;
      if (_beam_term_printer_collapsed (p, depth))
        {
          g_string_append (p->out, "...");
          break;
        }
      if (shown > 0)
        g_string_append (p->out, ", ");
      if (_beam_term_printer_elided (p, shown))
        {
          g_string_append (p->out, "...");
          break;
        }
      ex_append_key (p->out, key);
      g_string_append_c (p->out, ' ');
      _beam_term_printer_print (p, term->children[i + 1], depth + 1);
      shown++;
    }
  g_string_append_c (p->out, '}');
  return TRUE;
}

const BeamTermSyntax _beam_term_syntax_elixir = {
  .separator = ", ",
  .list_cut = ", ...]",
  .list_tail = " | ",
  .map_open = "%{",
  .reverse_hash_maps = FALSE,
  .pid_open = "#PID<",
  .port_open = "#Port<",
  .ref_open = "#Reference<",
  .reply_pid = "#PID<reply>",
  .unknown = ":\"?\"",
  .append_float = append_float_elixir,
  .append_atom = ex_append_atom,
  .is_key = ex_is_key,
  .append_key = ex_append_key,
  .is_char = ex_printable_ascii,
  .print_charlist = ex_print_charlist,
  .print_binary = ex_print_binary,
  .print_bitstring = ex_print_bytes,
  .print_fun = ex_print_fun,
  .print_struct = ex_print_struct,
};

/* The arity after the last '/' of "m:f/a", or -1. */
static gssize
ex_mfa_slash (const char *name)
{
  const char *slash = strrchr (name, '/');

  if (slash == NULL || slash[1] == '\0')
    return -1;
  for (const char *s = slash + 1; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return -1;
  return slash - name;
}

char *
beam_print_name (const char *name,
                 BeamSyntax  syntax)
{
  g_autoptr(GString) out = NULL;
  const char *colon;
  gssize slash;

  g_return_val_if_fail (name != NULL, NULL);

  if (syntax != BEAM_SYNTAX_ELIXIR)
    return g_strdup (name);

  colon = strchr (name, ':');
  slash = ex_mfa_slash (name);
  if (colon != NULL && slash > colon - name + 1 && colon > name)
    {
      g_autofree char *module = g_strndup (name, colon - name);
      g_autofree char *function = g_strndup (colon + 1, slash - (colon - name) - 1);

      out = g_string_new (NULL);
      ex_append_atom (out, module);
      g_string_append_c (out, '.');
      ex_append_remote (out, function);
      g_string_append (out, name + slash);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  /* A bare name is a name, not a term: only aliases change. */
  if (ex_classify (name) == EX_ALIAS && strcmp (name, "Elixir") != 0)
    {
      out = g_string_new (NULL);
      ex_append_atom (out, name);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  return g_strdup (name);
}
