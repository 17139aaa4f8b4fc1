/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Prints a BeamTerm the way the node itself would, so that what the user sees
 * can be pasted back into a shell. The rules below were taken from the
 * printers that ship with OTP 25 and Elixir 1.14 and are checked against them
 * by tests/displayless/test-term.c, which runs real erl and elixir:
 *
 *  - Erlang: io_lib_pretty:print/2 with encoding unicode and the default
 *    printable range (latin1), on one line. Strings and binaries are shown as
 *    text only when every character is latin-1 printable.
 *  - Elixir: Kernel.inspect/2 with no limits. Atoms follow Macro.inspect_atom/2;
 *    its Unicode identifier rules are approximated with GLib's character data.
 *
 * Maps print in the order they arrived, which is the node's own order:
 * term_to_binary writes a map the way maps:to_list/1 walks it. Elixir prints
 * maps:to_list/1 order. Erlang prints maps:iterator/1 order, which for maps
 * of more than 32 pairs (hash maps) runs the opposite way, so we reverse
 * those.
 *
 * Erlang's fun_to_list/1 writes non-ASCII module and function names as raw
 * UTF-8 bytes, one character each (mojibake); we print proper UTF-8 instead.
 * Elixir names closures after the function that created them, which ETF does
 * not carry, so our #Function<...> cannot match Elixir's. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "beam-term-printer.h"

/* Above this many pairs a map is a hash map on the BEAM (MAP_SMALL_MAP_LIMIT). */
#define SMALL_MAP_LIMIT 32

typedef struct
{
  BeamSyntax  syntax;
  const char *local_node;
  guint       max_depth;
  guint       max_width;
  GString    *out;
} Printer;

static void print_term (Printer        *p,
                        const BeamTerm *term,
                        guint           depth);

/* A container at the depth limit shows no contents. */
static gboolean
collapsed (Printer *p,
           guint    depth)
{
  return p->max_depth > 0 && depth >= p->max_depth;
}

/* TRUE when element `i` is the first one past the width limit. */
static gboolean
elided (Printer *p,
        guint    i)
{
  return p->max_width > 0 && i >= p->max_width;
}

/* Floats */

/* Whether some `precision`-digit decimal reads back as `v`, and which one,
 * as mantissa × 10^scale. The correctly rounded digits are the nearest such
 * decimal; their neighbours matter only where the rounding interval is
 * lopsided (at powers of two), and no other candidate can be inside it. */
static gboolean
float_try_precision (double   v,
                     int      precision,
                     guint64 *out_mantissa,
                     int     *out_scale)
{
  char buf[64];
  guint64 mantissa = 0;
  guint64 candidates[3];
  const char *s;
  int scale;

  g_snprintf (buf, sizeof buf, "%.*e", precision - 1, v);
  for (s = buf; *s != 'e'; s++)
    if (g_ascii_isdigit (*s))
      mantissa = mantissa * 10 + (guint64) (*s - '0');
  scale = atoi (s + 1) - (precision - 1);

  candidates[0] = mantissa;
  candidates[1] = mantissa + 1;
  candidates[2] = mantissa - 1;
  for (guint k = 0; k < G_N_ELEMENTS (candidates); k++)
    {
      if (candidates[k] == 0)
        continue;
      g_snprintf (buf, sizeof buf, "%" G_GUINT64_FORMAT "e%d", candidates[k], scale);
      if (g_ascii_strtod (buf, NULL) == v)
        {
          *out_mantissa = candidates[k];
          *out_scale = scale;
          return TRUE;
        }
    }
  return FALSE;
}

/* The shortest digits that read back as `v` (v > 0, finite), and where the
 * decimal point goes: v = 0.DIGITS × 10^point. Among equally short
 * candidates the nearest wins, as in the Ryu algorithm that OTP uses.
 * Having a p-digit candidate implies having a (p+1)-digit one, so the
 * shortest length can be found by bisection. */
static void
float_shortest (double  v,
                char   *digits,
                gsize   digits_size,
                int    *point)
{
  guint64 mantissa = 0;
  int scale = 0;
  int lo = 1;
  int hi = 17;  /* 17 significant digits always round-trip */
  gsize n;

  while (lo < hi)
    {
      int mid = (lo + hi) / 2;

      if (float_try_precision (v, mid, &mantissa, &scale))
        hi = mid;
      else
        lo = mid + 1;
    }
  if (!float_try_precision (v, lo, &mantissa, &scale))
    g_assert_not_reached ();

  g_snprintf (digits, digits_size, "%" G_GUINT64_FORMAT, mantissa);
  n = strlen (digits);
  *point = (int) n + scale;
  while (n > 1 && digits[n - 1] == '0')
    digits[--n] = '\0';
}

/* float_to_list(F, [short]), which is what io_lib prints: the shorter of
 * plain and scientific notation (plain on a tie), but always scientific
 * from 2^53 up, where not every integer is a float. */
static void
append_float_erlang (GString *out,
                     double   v)
{
  char digits[32];
  g_autoptr(GString) plain = g_string_new (NULL);
  g_autoptr(GString) sci = g_string_new (NULL);
  int point;
  int n;

  if (!isfinite (v))
    {
      /* Never from a node; only a builder can make one. */
      g_string_append (out, isnan (v) ? "nan" : (v > 0 ? "inf" : "-inf"));
      return;
    }

  if (signbit (v))
    g_string_append_c (out, '-');
  v = fabs (v);
  if (v == 0.0)
    {
      g_string_append (out, "0.0");
      return;
    }

  float_shortest (v, digits, sizeof digits, &point);
  n = (int) strlen (digits);

  g_string_append_c (sci, digits[0]);
  g_string_append_c (sci, '.');
  g_string_append (sci, n > 1 ? digits + 1 : "0");
  g_string_append_printf (sci, "e%d", point - 1);

  if (point <= 0)
    {
      g_string_append (plain, "0.");
      for (int i = 0; i < -point; i++)
        g_string_append_c (plain, '0');
      g_string_append (plain, digits);
    }
  else if (point >= n)
    {
      g_string_append (plain, digits);
      for (int i = n; i < point; i++)
        g_string_append_c (plain, '0');
      g_string_append (plain, ".0");
    }
  else
    {
      g_string_append_len (plain, digits, point);
      g_string_append_c (plain, '.');
      g_string_append (plain, digits + point);
    }

  if (v >= 9007199254740992.0 || plain->len > sci->len)
    g_string_append_len (out, sci->str, sci->len);
  else
    g_string_append_len (out, plain->str, plain->len);
}

/* Inspect.Float: whole numbers below 1e16 as an integer and ".0". */
static void
append_float_elixir (GString *out,
                     double   v)
{
  double a = fabs (v);

  if (isfinite (v) && a >= 1.0 && a < 1e16 && trunc (v) == v)
    g_string_append_printf (out, "%.0f.0", v);
  else
    append_float_erlang (out, v);
}

/* Erlang text */

/* io_lib:printable_latin1_list/1 */
static gboolean
erl_printable_latin1 (gunichar c)
{
  return (c >= 32 && c <= 126) || (c >= 160 && c <= 255) || (c >= 8 && c <= 13) || c == 27;
}

/* io_lib:write_string/2, characters printed as themselves (unicode_as_unicode). */
static void
erl_append_char (GString  *out,
                 gunichar  c,
                 char      quote)
{
  if (c == (gunichar) quote || c == '\\')
    {
      g_string_append_c (out, '\\');
      g_string_append_c (out, (char) c);
    }
  else if ((c >= 32 && c <= 126) || c >= 160)
    g_string_append_unichar (out, c);
  else
    switch (c)
      {
      case '\n': g_string_append (out, "\\n"); break;
      case '\r': g_string_append (out, "\\r"); break;
      case '\t': g_string_append (out, "\\t"); break;
      case '\v': g_string_append (out, "\\v"); break;
      case '\b': g_string_append (out, "\\b"); break;
      case '\f': g_string_append (out, "\\f"); break;
      case 27:   g_string_append (out, "\\e"); break;
      case 127:  g_string_append (out, "\\d"); break;
      default:
        g_string_append_printf (out, "\\%c%c%c", '0' + (c >> 6), '0' + ((c >> 3) & 7), '0' + (c & 7));
        break;
      }
}

static gboolean
erl_reserved_word (const char *name)
{
  static const char * const words[] = {
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor",
    "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or",
    "orelse", "receive", "rem", "try", "when", "xor",
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strcmp (name, words[i]) == 0)
      return TRUE;
  return FALSE;
}

/* io_lib's name_char/1: latin-1 letters, digits, _ and @. */
static gboolean
erl_name_char (gunichar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7) ||
         (c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) ||
         (c >= '0' && c <= '9') || c == '_' || c == '@';
}

static gboolean
erl_atom_needs_quotes (const char *name,
                       gboolean    check_reserved)
{
  gunichar c = g_utf8_get_char (name);

  if (check_reserved && erl_reserved_word (name))
    return TRUE;
  if (!((c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7)))
    return TRUE;
  for (const char *s = g_utf8_next_char (name); *s != '\0'; s = g_utf8_next_char (s))
    if (!erl_name_char (g_utf8_get_char (s)))
      return TRUE;
  return FALSE;
}

/* io_lib:write_atom/1 */
static void
erl_append_atom (GString    *out,
                 const char *name)
{
  if (!erl_atom_needs_quotes (name, TRUE))
    {
      g_string_append (out, name);
      return;
    }
  g_string_append_c (out, '\'');
  for (const char *s = name; *s != '\0'; s = g_utf8_next_char (s))
    erl_append_char (out, g_utf8_get_char (s), '\'');
  g_string_append_c (out, '\'');
}

/* The emulator's own atom printing, used by fun_to_list/1: no reserved
 * words, and fewer named escapes than io_lib. */
static void
erts_append_atom (GString    *out,
                  const char *name)
{
  if (!erl_atom_needs_quotes (name, FALSE))
    {
      g_string_append (out, name);
      return;
    }
  g_string_append_c (out, '\'');
  for (const char *s = name; *s != '\0'; s = g_utf8_next_char (s))
    {
      gunichar c = g_utf8_get_char (s);

      switch (c)
        {
        case '\'': g_string_append (out, "\\'"); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\v': g_string_append (out, "\\v"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 32)
            g_string_append_printf (out, "\\%03o", c);
          else
            g_string_append_unichar (out, c);
          break;
        }
    }
  g_string_append_c (out, '\'');
}

/* Elixir text */

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

  if (c == 0xb5)
    return EX_CHAR_MICRO;

  utf8[g_unichar_to_utf8 (c, utf8)] = '\0';
  nfkc = g_utf8_normalize (utf8, -1, G_NORMALIZE_NFKC);
  if (nfkc == NULL || strcmp (nfkc, utf8) != 0)
    return EX_CHAR_NONE;

  switch (g_unichar_type (c))
    {
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
      return EX_CHAR_UPPER;

    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_LETTER_NUMBER:
      return EX_CHAR_START;

    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_CONNECT_PUNCTUATION:
      return EX_CHAR_CONTINUE;

    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_OTHER_NUMBER:
    case G_UNICODE_DASH_PUNCTUATION:
    case G_UNICODE_CLOSE_PUNCTUATION:
    case G_UNICODE_FINAL_PUNCTUATION:
    case G_UNICODE_INITIAL_PUNCTUATION:
    case G_UNICODE_OTHER_PUNCTUATION:
    case G_UNICODE_OPEN_PUNCTUATION:
    case G_UNICODE_CURRENCY_SYMBOL:
    case G_UNICODE_MODIFIER_SYMBOL:
    case G_UNICODE_MATH_SYMBOL:
    case G_UNICODE_OTHER_SYMBOL:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
    case G_UNICODE_SPACE_SEPARATOR:
    default:
      break;
    }

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
  static const GUnicodeScript japanese[] = { G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN, G_UNICODE_SCRIPT_HIRAGANA, G_UNICODE_SCRIPT_KATAKANA };
  static const GUnicodeScript chinese[] = { G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN, G_UNICODE_SCRIPT_BOPOMOFO };
  static const GUnicodeScript korean[] = { G_UNICODE_SCRIPT_LATIN, G_UNICODE_SCRIPT_HAN, G_UNICODE_SCRIPT_HANGUL };
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
          gboolean found = script == G_UNICODE_SCRIPT_COMMON || script == G_UNICODE_SCRIPT_INHERITED;

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
  static const char * const not_callable[] = { "%", "%{}", "{}", "<<>>", "...", "..", ".", "..//", "->" };
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

/* Shapes shared by both syntaxes */

static gboolean
is_local (Printer    *p,
          const char *node)
{
  return p->local_node == NULL || g_strcmp0 (node, p->local_node) == 0;
}

/* The node part of a pid, port or reference: 0 here, the name elsewhere
 * (the node's own number for it is local to the printing node). */
static void
append_node (Printer        *p,
             const BeamTerm *term)
{
  if (is_local (p, term->v.ident.node))
    g_string_append_c (p->out, '0');
  else
    g_string_append (p->out, term->v.ident.node);
}

static void
append_ident_body (Printer        *p,
                   const BeamTerm *term)
{
  append_node (p, term);
  switch (term->kind)
    {
    case BEAM_TERM_PID:
      g_string_append_printf (p->out, ".%" G_GUINT64_FORMAT ".%u", term->v.ident.id, term->v.ident.serial);
      break;

    case BEAM_TERM_PORT:
      g_string_append_printf (p->out, ".%" G_GUINT64_FORMAT, term->v.ident.id);
      break;

    case BEAM_TERM_REFERENCE:
      /* ref_to_list/1 puts the last word first. */
      for (guint i = MIN (term->v.ident.ref_len, G_N_ELEMENTS (term->v.ident.ref_words)); i-- > 0;)
        g_string_append_printf (p->out, ".%u", term->v.ident.ref_words[i]);
      break;

    case BEAM_TERM_INTEGER:
    case BEAM_TERM_BIG_INTEGER:
    case BEAM_TERM_FLOAT:
    case BEAM_TERM_ATOM:
    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_LIST:
    case BEAM_TERM_MAP:
    case BEAM_TERM_FUN:
    case BEAM_TERM_REPLY_PID:
    default:
      g_assert_not_reached ();
    }
}

/* A proper list of integers, all satisfying `pred`. */
static gboolean
is_charlist (const BeamTerm *term,
             gboolean      (*pred) (gunichar))
{
  if (term->kind != BEAM_TERM_LIST || term->n_children == 0 || term->v.list.improper)
    return FALSE;
  for (guint i = 0; i < term->n_children; i++)
    {
      const BeamTerm *c = term->children[i];

      if (c->kind != BEAM_TERM_INTEGER || c->v.integer < 0 || c->v.integer > 0x10ffff ||
          !pred ((gunichar) c->v.integer))
        return FALSE;
    }
  return TRUE;
}

/* Only a hand-built term could break this; the decoder never does. */
static gboolean
is_sane_bitstring (const BeamTerm *term)
{
  return term->v.bytes.size > 0 && term->v.bytes.last_bits >= 1 && term->v.bytes.last_bits <= 7;
}

static guint
bitstring_tail_value (const BeamTerm *term)
{
  guint8 last = term->v.bytes.data[term->v.bytes.size - 1];

  return last >> (8 - term->v.bytes.last_bits);
}

/* Erlang */

static void
erl_print_charlist (Printer        *p,
                    const BeamTerm *term)
{
  g_string_append_c (p->out, '"');
  for (guint i = 0; i < term->n_children; i++)
    {
      if (elided (p, i))
        {
          g_string_append (p->out, "\"...");
          return;
        }
      erl_append_char (p->out, (gunichar) term->children[i]->v.integer, '"');
    }
  g_string_append_c (p->out, '"');
}

/* io_lib_pretty's printable_bin/4 and io_lib:write_binary/2 */
static void
erl_print_binary (Printer        *p,
                  const BeamTerm *term)
{
  const char *data = (const char *) term->v.bytes.data;
  gsize size = term->v.bytes.size;
  gboolean is_utf8;
  gboolean printable = TRUE;
  gsize n_chars = 0;

  if (size == 0)
    {
      g_string_append (p->out, "<<>>");
      return;
    }

  is_utf8 = g_utf8_validate_len (data, size, NULL);
  if (is_utf8)
    {
      for (const char *s = data; printable && s < data + size; s = g_utf8_next_char (s), n_chars++)
        printable = erl_printable_latin1 (g_utf8_get_char (s));
    }
  else
    {
      for (gsize i = 0; printable && i < size; i++)
        printable = erl_printable_latin1 ((guint8) data[i]);
      n_chars = size;
    }

  if (printable)
    {
      gboolean cut = FALSE;
      guint i = 0;

      g_string_append (p->out, "<<\"");
      if (is_utf8)
        {
          for (const char *s = data; s < data + size; s = g_utf8_next_char (s), i++)
            {
              if ((cut = elided (p, i)))
                break;
              erl_append_char (p->out, g_utf8_get_char (s), '"');
            }
        }
      else
        {
          for (; i < size; i++)
            {
              if ((cut = elided (p, i)))
                break;
              erl_append_char (p->out, (guint8) data[i], '"');
            }
        }
      g_string_append_c (p->out, '"');
      /* Text that is not one byte per character must say how to read it. */
      if (n_chars != size)
        g_string_append (p->out, "/utf8");
      g_string_append (p->out, cut ? "...>>" : ">>");
      return;
    }

  g_string_append (p->out, "<<");
  for (gsize i = 0; i < size; i++)
    {
      if (i > 0)
        g_string_append_c (p->out, ',');
      if (elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      g_string_append_printf (p->out, "%u", (guint8) data[i]);
    }
  g_string_append (p->out, ">>");
}

static void
erl_print_bitstring (Printer        *p,
                     const BeamTerm *term)
{
  gsize whole = term->v.bytes.size - 1;

  g_string_append (p->out, "<<");
  for (gsize i = 0; i < whole; i++)
    {
      if (elided (p, i))
        {
          g_string_append (p->out, "...>>");
          return;
        }
      g_string_append_printf (p->out, "%u,", term->v.bytes.data[i]);
    }
  g_string_append_printf (p->out, "%u:%u>>", bitstring_tail_value (term), term->v.bytes.last_bits);
}

static void
erl_print_sequence (Printer        *p,
                    const BeamTerm *term,
                    guint           depth,
                    const char     *open,
                    const char     *close)
{
  g_string_append (p->out, open);
  for (guint i = 0; i < term->n_children; i++)
    {
      if (i > 0)
        g_string_append_c (p->out, ',');
      if (elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      print_term (p, term->children[i], depth + 1);
    }
  g_string_append (p->out, close);
}

static void
erl_print_list (Printer        *p,
                const BeamTerm *term,
                guint           depth)
{
  guint n_elements = term->n_children - (term->v.list.improper ? 1 : 0);

  g_string_append_c (p->out, '[');
  for (guint i = 0; i < n_elements; i++)
    {
      /* io_lib's own shape for a list cut short */
      if (elided (p, i))
        {
          g_string_append (p->out, "|...]");
          return;
        }
      if (i > 0)
        g_string_append_c (p->out, ',');
      print_term (p, term->children[i], depth + 1);
    }
  if (term->v.list.improper)
    {
      g_string_append_c (p->out, '|');
      print_term (p, term->children[n_elements], depth + 1);
    }
  g_string_append_c (p->out, ']');
}

static void
erl_print_map (Printer        *p,
               const BeamTerm *term,
               guint           depth)
{
  guint n_pairs = term->n_children / 2;
  gboolean reverse = n_pairs > SMALL_MAP_LIMIT;

  g_string_append (p->out, "#{");
  for (guint i = 0; i < n_pairs; i++)
    {
      guint pair = reverse ? n_pairs - 1 - i : i;

      if (i > 0)
        g_string_append_c (p->out, ',');
      if (elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      print_term (p, term->children[2 * pair], depth + 1);
      g_string_append (p->out, " => ");
      print_term (p, term->children[2 * pair + 1], depth + 1);
    }
  g_string_append_c (p->out, '}');
}

static void
erl_print_fun (Printer        *p,
               const BeamTerm *term)
{
  if (term->v.fun.is_export)
    {
      g_string_append (p->out, "fun ");
      erts_append_atom (p->out, term->v.fun.module);
      g_string_append_c (p->out, ':');
      erts_append_atom (p->out, term->v.fun.function);
      g_string_append_printf (p->out, "/%u", term->v.fun.arity);
    }
  else
    {
      /* fun_to_list/1 leaves the module unquoted here. */
      g_string_append_printf (p->out, "#Fun<%s.%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ">",
                              term->v.fun.module, term->v.fun.index, term->v.fun.uniq);
    }
}

static void
erl_print (Printer        *p,
           const BeamTerm *term,
           guint           depth)
{
  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      g_string_append_printf (p->out, "%" G_GINT64_FORMAT, term->v.integer);
      break;

    case BEAM_TERM_BIG_INTEGER:
      g_string_append (p->out, term->v.big.digits);
      break;

    case BEAM_TERM_FLOAT:
      append_float_erlang (p->out, term->v.floating);
      break;

    case BEAM_TERM_ATOM:
      erl_append_atom (p->out, term->v.atom.name);
      break;

    case BEAM_TERM_BINARY:
      erl_print_binary (p, term);
      break;

    case BEAM_TERM_BITSTRING:
      if (is_sane_bitstring (term))
        erl_print_bitstring (p, term);
      else
        erl_print_binary (p, term);
      break;

    case BEAM_TERM_TUPLE:
      if (term->n_children > 0 && collapsed (p, depth))
        g_string_append (p->out, "{...}");
      else
        erl_print_sequence (p, term, depth, "{", "}");
      break;

    case BEAM_TERM_LIST:
      if (term->n_children == 0)
        g_string_append (p->out, "[]");
      else if (is_charlist (term, erl_printable_latin1))
        erl_print_charlist (p, term);
      else if (collapsed (p, depth))
        g_string_append (p->out, "[...]");
      else
        erl_print_list (p, term, depth);
      break;

    case BEAM_TERM_MAP:
      if (term->n_children > 0 && collapsed (p, depth))
        g_string_append (p->out, "#{...}");
      else
        erl_print_map (p, term, depth);
      break;

    case BEAM_TERM_PID:
      g_string_append_c (p->out, '<');
      append_ident_body (p, term);
      g_string_append_c (p->out, '>');
      break;

    case BEAM_TERM_PORT:
      g_string_append (p->out, "#Port<");
      append_ident_body (p, term);
      g_string_append_c (p->out, '>');
      break;

    case BEAM_TERM_REFERENCE:
      g_string_append (p->out, "#Ref<");
      append_ident_body (p, term);
      g_string_append_c (p->out, '>');
      break;

    case BEAM_TERM_FUN:
      erl_print_fun (p, term);
      break;

    case BEAM_TERM_REPLY_PID:
      g_string_append (p->out, "<reply>");
      break;

    default:
      g_string_append (p->out, "'?'");
      break;
    }
}

/* Elixir */

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

/* Inspect.List.keyword?/1 */
static gboolean
ex_is_keyword_pair (const BeamTerm *pair)
{
  return pair->kind == BEAM_TERM_TUPLE && pair->n_children == 2 &&
         pair->children[0]->kind == BEAM_TERM_ATOM &&
         !g_str_has_prefix (pair->children[0]->v.atom.name, "Elixir.");
}

static void
ex_print_bytes (Printer        *p,
                const BeamTerm *term)
{
  gboolean has_tail = term->kind == BEAM_TERM_BITSTRING && is_sane_bitstring (term);
  gsize whole = term->v.bytes.size - (has_tail ? 1 : 0);

  g_string_append (p->out, "<<");
  for (gsize i = 0; i < whole; i++)
    {
      if (i > 0)
        g_string_append (p->out, ", ");
      if (elided (p, i))
        {
          g_string_append (p->out, "...>>");
          return;
        }
      g_string_append_printf (p->out, "%u", term->v.bytes.data[i]);
    }
  if (has_tail)
    g_string_append_printf (p->out, "%s%u::size(%u)", whole > 0 ? ", " : "",
                            bitstring_tail_value (term), term->v.bytes.last_bits);
  g_string_append (p->out, ">>");
}

static void
ex_print_binary (Printer        *p,
                 const BeamTerm *term)
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
ex_print_charlist (Printer        *p,
                   const BeamTerm *term)
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
ex_print_list (Printer        *p,
               const BeamTerm *term,
               guint           depth)
{
  guint n_elements = term->n_children - (term->v.list.improper ? 1 : 0);
  gboolean keyword = !term->v.list.improper;

  for (guint i = 0; keyword && i < n_elements; i++)
    keyword = ex_is_keyword_pair (term->children[i]);

  g_string_append_c (p->out, '[');
  for (guint i = 0; i < n_elements; i++)
    {
      const BeamTerm *child = term->children[i];

      if (i > 0)
        g_string_append (p->out, ", ");
      if (elided (p, i))
        {
          g_string_append (p->out, "...]");
          return;
        }
      if (keyword)
        {
          ex_append_key (p->out, child->children[0]->v.atom.name);
          g_string_append_c (p->out, ' ');
          print_term (p, child->children[1], depth + 1);
        }
      else
        print_term (p, child, depth + 1);
    }
  if (term->v.list.improper)
    {
      g_string_append (p->out, " | ");
      print_term (p, term->children[n_elements], depth + 1);
    }
  g_string_append_c (p->out, ']');
}

static void
ex_print_map (Printer        *p,
              const BeamTerm *term,
              guint           depth)
{
  guint n_pairs = term->n_children / 2;
  gboolean keyword = TRUE;

  for (guint i = 0; keyword && i < n_pairs; i++)
    keyword = term->children[2 * i]->kind == BEAM_TERM_ATOM &&
              !g_str_has_prefix (term->children[2 * i]->v.atom.name, "Elixir.");

  g_string_append (p->out, "%{");
  for (guint i = 0; i < n_pairs; i++)
    {
      const BeamTerm *key = term->children[2 * i];

      if (i > 0)
        g_string_append (p->out, ", ");
      if (elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      if (keyword)
        {
          ex_append_key (p->out, key->v.atom.name);
          g_string_append_c (p->out, ' ');
        }
      else
        {
          print_term (p, key, depth + 1);
          g_string_append (p->out, " => ");
        }
      print_term (p, term->children[2 * i + 1], depth + 1);
    }
  g_string_append_c (p->out, '}');
}

static void
ex_print_tuple (Printer        *p,
                const BeamTerm *term,
                guint           depth)
{
  g_string_append_c (p->out, '{');
  for (guint i = 0; i < term->n_children; i++)
    {
      if (i > 0)
        g_string_append (p->out, ", ");
      if (elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      print_term (p, term->children[i], depth + 1);
    }
  g_string_append_c (p->out, '}');
}

static void
ex_print_fun (Printer        *p,
              const BeamTerm *term)
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

static void
ex_print (Printer        *p,
          const BeamTerm *term,
          guint           depth)
{
  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      g_string_append_printf (p->out, "%" G_GINT64_FORMAT, term->v.integer);
      break;

    case BEAM_TERM_BIG_INTEGER:
      g_string_append (p->out, term->v.big.digits);
      break;

    case BEAM_TERM_FLOAT:
      append_float_elixir (p->out, term->v.floating);
      break;

    case BEAM_TERM_ATOM:
      ex_append_atom (p->out, term->v.atom.name);
      break;

    case BEAM_TERM_BINARY:
      ex_print_binary (p, term);
      break;

    case BEAM_TERM_BITSTRING:
      if (is_sane_bitstring (term))
        ex_print_bytes (p, term);
      else
        ex_print_binary (p, term);
      break;

    case BEAM_TERM_TUPLE:
      if (term->n_children > 0 && collapsed (p, depth))
        g_string_append (p->out, "{...}");
      else
        ex_print_tuple (p, term, depth);
      break;

    case BEAM_TERM_LIST:
      if (term->n_children == 0)
        g_string_append (p->out, "[]");
      else if (is_charlist (term, ex_printable_ascii))
        ex_print_charlist (p, term);
      else if (collapsed (p, depth))
        g_string_append (p->out, "[...]");
      else
        ex_print_list (p, term, depth);
      break;

    case BEAM_TERM_MAP:
      if (term->n_children > 0 && collapsed (p, depth))
        g_string_append (p->out, "%{...}");
      else
        ex_print_map (p, term, depth);
      break;

    case BEAM_TERM_PID:
      g_string_append (p->out, "#PID<");
      append_ident_body (p, term);
      g_string_append_c (p->out, '>');
      break;

    case BEAM_TERM_PORT:
      g_string_append (p->out, "#Port<");
      append_ident_body (p, term);
      g_string_append_c (p->out, '>');
      break;

    case BEAM_TERM_REFERENCE:
      g_string_append (p->out, "#Reference<");
      append_ident_body (p, term);
      g_string_append_c (p->out, '>');
      break;

    case BEAM_TERM_FUN:
      ex_print_fun (p, term);
      break;

    case BEAM_TERM_REPLY_PID:
      g_string_append (p->out, "#PID<reply>");
      break;

    default:
      g_string_append (p->out, ":\"?\"");
      break;
    }
}

static void
print_term (Printer        *p,
            const BeamTerm *term,
            guint           depth)
{
  if (p->syntax == BEAM_SYNTAX_ELIXIR)
    ex_print (p, term, depth);
  else
    erl_print (p, term, depth);
}

void
beam_term_print_to (const BeamTerm         *term,
                    const BeamPrintOptions *options,
                    GString                *out)
{
  static const BeamPrintOptions defaults = { BEAM_SYNTAX_ERLANG, NULL, 0, 0 };
  Printer p;

  g_return_if_fail (term != NULL);
  g_return_if_fail (out != NULL);

  if (options == NULL)
    options = &defaults;

  p.syntax = options->syntax;
  p.local_node = options->local_node;
  p.max_depth = options->max_depth;
  p.max_width = options->max_width;
  p.out = out;

  print_term (&p, term, 1);
}

char *
beam_term_print (const BeamTerm         *term,
                 const BeamPrintOptions *options)
{
  GString *out;

  g_return_val_if_fail (term != NULL, NULL);

  out = g_string_new (NULL);
  beam_term_print_to (term, options, out);
  return g_string_free (out, FALSE);
}
