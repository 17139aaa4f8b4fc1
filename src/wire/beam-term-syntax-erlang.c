/* SPDX-License-Identifier: GPL-3.0-or-later */

/* How Erlang spells a term: io_lib_pretty:print/2 with encoding unicode and
 * the default printable range (latin1), on one line, as OTP 25 prints it.
 * Strings and binaries are shown as text only when every character is
 * latin-1 printable. Its own file, a table for the walker in
 * beam-term-printer.c, so that each syntax's rules read in one place.
 *
 * Erlang's fun_to_list/1 writes non-ASCII module and function names as raw
 * UTF-8 bytes, one character each (mojibake); we print proper UTF-8 instead. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "beam-term-printer-private.h"

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
void
_beam_term_append_float_erlang (GString *out,
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

/* Atoms and text */

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
        g_string_append_printf (out, "\\%c%c%c",
                                '0' + (c >> 6), '0' + ((c >> 3) & 7), '0' + (c & 7));
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

/* Terms */

static void
erl_print_charlist (BeamTermPrinter *p,
                    const BeamTerm  *term)
{
  g_string_append_c (p->out, '"');
  for (guint i = 0; i < term->n_children; i++)
    {
      if (_beam_term_printer_elided (p, i))
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
erl_print_binary (BeamTermPrinter *p,
                  const BeamTerm  *term)
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
              if ((cut = _beam_term_printer_elided (p, i)))
                break;
              erl_append_char (p->out, g_utf8_get_char (s), '"');
            }
        }
      else
        {
          for (; i < size; i++)
            {
              if ((cut = _beam_term_printer_elided (p, i)))
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
      if (_beam_term_printer_elided (p, i))
        {
          g_string_append (p->out, "...");
          break;
        }
      g_string_append_printf (p->out, "%u", (guint8) data[i]);
    }
  g_string_append (p->out, ">>");
}

static void
erl_print_bitstring (BeamTermPrinter *p,
                     const BeamTerm  *term)
{
  gsize whole = term->v.bytes.size - 1;

  g_string_append (p->out, "<<");
  for (gsize i = 0; i < whole; i++)
    {
      if (_beam_term_printer_elided (p, i))
        {
          g_string_append (p->out, "...>>");
          return;
        }
      g_string_append_printf (p->out, "%u,", term->v.bytes.data[i]);
    }
  g_string_append_printf (p->out, "%u:%u>>",
                          _beam_term_bitstring_tail (term), term->v.bytes.last_bits);
}
static void
erl_print_fun (BeamTermPrinter *p,
               const BeamTerm  *term)
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

const BeamTermSyntax _beam_term_syntax_erlang = {
  .separator = ",",
  .list_cut = "|...]",  /* io_lib's own shape for a list cut short */
  .list_tail = "|",
  .map_open = "#{",
  .reverse_hash_maps = TRUE,
  .pid_open = "<",
  .port_open = "#Port<",
  .ref_open = "#Ref<",
  .reply_pid = "<reply>",
  .unknown = "'?'",
  .append_float = _beam_term_append_float_erlang,
  .append_atom = erl_append_atom,
  .is_char = erl_printable_latin1,
  .print_charlist = erl_print_charlist,
  .print_binary = erl_print_binary,
  .print_bitstring = erl_print_bitstring,
  .print_fun = erl_print_fun,
};
