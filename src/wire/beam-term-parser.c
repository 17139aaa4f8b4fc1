/* SPDX-License-Identifier: GPL-3.0-or-later */

/* Reading a term a user typed, in Erlang or Elixir syntax: one recursive
 * descent over the text, with no token list in between. Each function
 * starts at its construct's first character and leaves `p` just after it.
 *
 * Linear on any input: nesting is bounded, an integer literal's base
 * conversion is bounded by its digit limit, and map keys are told apart by a
 * hash built bottom-up with the term (hashing each key afresh would walk
 * nested keys once per level). A list's hash is a polynomial over its
 * elements' hashes, so that joining a tail list ([1 | [2]]) can extend it. */

#define G_LOG_DOMAIN "beamscope-wire"

#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "beam-term-parser.h"

G_DEFINE_QUARK (beam-term-parse-error-quark, beam_term_parse_error)

#define MAX_ATOM_CHARS  255
#define HASH_MULTIPLIER 0x01000193u
#define HASH_TUPLE      0x5bd1e995u
#define HASH_LIST       0x27d4eb2fu
#define HASH_MAP        0x165667b1u
#define RAW_BYTE        0x80000000u  /* a unit of text that is a byte, not a character */

typedef struct
{
  const char *text;
  const char *end;
  const char *p;
  BeamSyntax  syntax;
  guint       depth;
  gsize       binary_budget;
  GError     *error;
  gboolean    struct_name;  /* the alias being read names a struct: `{` follows */
} Parser;

/* A map key, indexed by the hash it was built with. */
typedef struct
{
  guint           hash;
  const BeamTerm *term;
  guint           value_index;
} MapKey;

static BeamTerm *parse_term (Parser *self,
                             guint  *hash);

/* Errors */

static gboolean
is_elixir (Parser *self)
{
  return self->syntax == BEAM_SYNTAX_ELIXIR;
}

/* Sets the parse's error, the first one only, with where `at` is. Returns
 * NULL, for `return fail (...)`. */
static gpointer fail (Parser             *self,
                      const char         *at,
                      BeamTermParseError  code,
                      const char         *format,
                      ...) G_GNUC_PRINTF (4, 5);

static gpointer
fail (Parser             *self,
      const char         *at,
      BeamTermParseError  code,
      const char         *format,
      ...)
{
  g_autofree char *message = NULL;
  const char *line_start = self->text;
  guint line = 1;
  glong column;
  va_list args;

  if (self->error != NULL)
    return NULL;

  at = CLAMP (at, self->text, self->end);
  for (const char *s = self->text; s < at; s++)
    if (*s == '\n')
      {
        line++;
        line_start = s + 1;
      }
  column = g_utf8_strlen (line_start, at - line_start) + 1;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (memchr (self->text, '\n', self->end - self->text) == NULL)
    self->error = g_error_new (BEAM_TERM_PARSE_ERROR, code, _("column %ld: %s"),
                               column, message);
  else
    self->error = g_error_new (BEAM_TERM_PARSE_ERROR, code, _("line %u, column %ld: %s"),
                               line, column, message);
  return NULL;
}

/* The character at `at`, as a message shows it. */
static char *
describe_char (Parser     *self,
               const char *at)
{
  gunichar c;

  if (at >= self->end)
    return g_strdup (_("the end of the text"));
  c = g_utf8_get_char (at);
  if (c < 32 || c == 127 || !g_unichar_isprint (c))
    return g_strdup_printf ("U+%04X", c);
  return g_strdup_printf ("`%.*s`", (int) (g_utf8_next_char (at) - at), at);
}

static gpointer
fail_expected (Parser     *self,
               const char *what)
{
  g_autofree char *found = describe_char (self, self->p);

  return fail (self, self->p, BEAM_TERM_PARSE_ERROR_SYNTAX, _("expected %s, found %s"),
               what, found);
}

/* Hashes */

static guint
hash_mix (guint64 h)
{
  h ^= h >> 33;
  h *= G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  return (guint) h;
}

static guint
hash_term_leaf (const BeamTerm *term)
{
  guint h = 0;

  switch (term->kind)
    {
    case BEAM_TERM_INTEGER:
      return hash_mix ((guint64) term->v.integer);
    case BEAM_TERM_BIG_INTEGER:
      return hash_mix (g_str_hash (term->v.big.digits) + 1);
    case BEAM_TERM_FLOAT:
      return hash_mix (g_double_hash (&term->v.floating) + 2);
    case BEAM_TERM_ATOM:
      return hash_mix (g_str_hash (term->v.atom.name) + 3);
    case BEAM_TERM_BINARY:
    case BEAM_TERM_BITSTRING:
      for (gsize i = 0; i < term->v.bytes.size; i++)
        h = h * 31 + term->v.bytes.data[i];
      return hash_mix (h + term->v.bytes.last_bits);
    case BEAM_TERM_TUPLE:
    case BEAM_TERM_LIST:
    case BEAM_TERM_MAP:
    case BEAM_TERM_PID:
    case BEAM_TERM_PORT:
    case BEAM_TERM_REFERENCE:
    case BEAM_TERM_FUN:
    case BEAM_TERM_REPLY_PID:
    default:
      g_assert_not_reached ();
    }
}

static guint
map_key_hash (gconstpointer key)
{
  return ((const MapKey *) key)->hash;
}

static gboolean
map_key_equal (gconstpointer a,
               gconstpointer b)
{
  const MapKey *ka = a;
  const MapKey *kb = b;

  return ka->hash == kb->hash && beam_term_equal (ka->term, kb->term);
}

/* Children of a term being built, with the hash they make. */
typedef struct
{
  GPtrArray *terms;
  guint      poly;   /* sum of hash(i) * HASH_MULTIPLIER^i */
  guint      power;  /* HASH_MULTIPLIER^len */
} Elements;

static void
elements_init (Elements *elements)
{
  elements->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  elements->poly = 0;
  elements->power = 1;
}

static void
elements_add (Elements *elements,
              BeamTerm *term,
              guint     hash)
{
  g_ptr_array_add (elements->terms, term);
  elements->poly += hash * elements->power;
  elements->power *= HASH_MULTIPLIER;
}

static void
elements_clear (Elements *elements)
{
  g_clear_pointer (&elements->terms, g_ptr_array_unref);
}

/* Text */

static gboolean
at_end (Parser *self)
{
  return self->p >= self->end;
}

static char
peek (Parser *self,
      gsize   offset)
{
  return (gsize) (self->end - self->p) > offset ? self->p[offset] : '\0';
}

static gboolean
looking_at (Parser     *self,
            const char *literal)
{
  gsize len = strlen (literal);

  return (gsize) (self->end - self->p) >= len && memcmp (self->p, literal, len) == 0;
}

static gunichar
current_char (Parser *self)
{
  return at_end (self) ? 0 : g_utf8_get_char (self->p);
}

static void
advance_char (Parser *self)
{
  if (!at_end (self))
    self->p = g_utf8_next_char (self->p);
}

/* What the printers show for pids, ports, references and funs: none can be
 * typed, as none can be made from text on the node either. */
static gboolean
refuse_opaque (Parser *self)
{
  /* Whole sentences, so that a translation can inflect each noun. */
  static const struct { const char *prefix; const char *message; } opaque[] = {
    { "#PID<", N_("pids cannot be typed; match them with '_' or a match variable") },
    { "#Port<", N_("ports cannot be typed; match them with '_' or a match variable") },
    { "#Reference<",
      N_("references cannot be typed; match them with '_' or a match variable") },
    { "#Ref<", N_("references cannot be typed; match them with '_' or a match variable") },
    { "#Function<", N_("funs cannot be typed; match them with '_' or a match variable") },
    { "#Fun<", N_("funs cannot be typed; match them with '_' or a match variable") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (opaque); i++)
    if (looking_at (self, opaque[i].prefix))
      {
        fail (self, self->p, BEAM_TERM_PARSE_ERROR_UNSUPPORTED, "%s", _(opaque[i].message));
        return TRUE;
      }
  return FALSE;
}

/* White space and comments; FALSE if an Elixir comment is a printed pid. */
static gboolean
skip_space (Parser *self)
{
  while (!at_end (self))
    {
      char c = *self->p;

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
        self->p++;
      else if ((c == '%' && !is_elixir (self)) || (c == '#' && is_elixir (self)))
        {
          /* `#PID<0.1.0>` reads as a comment to Elixir, which would take the
           * text for nothing at all. */
          if (c == '#' && refuse_opaque (self))
            return FALSE;
          while (!at_end (self) && *self->p != '\n')
            self->p++;
        }
      else
        break;
    }
  return TRUE;
}

static gboolean
expect (Parser     *self,
        const char *literal,
        const char *description)
{
  if (!looking_at (self, literal))
    {
      fail_expected (self, description);
      return FALSE;
    }
  self->p += strlen (literal);
  return TRUE;
}

/* Numbers */

static gboolean
is_digit_in_base (char c,
                  guint base)
{
  int value = g_ascii_isdigit (c) ? c - '0'
              : g_ascii_isalpha (c) ? g_ascii_tolower (c) - 'a' + 10
              : 99;

  return (guint) value < base;
}

/* Digits of `base`, with `_` allowed between two of them (OTP 23, Elixir),
 * appended to `out` without the separators. */
static gboolean
read_digits (Parser  *self,
             guint    base,
             GString *out)
{
  const char *start = self->p;

  while (!at_end (self))
    {
      char c = *self->p;

      if (is_digit_in_base (c, base))
        g_string_append_c (out, c);
      else if (c == '_' && self->p > start && is_digit_in_base (peek (self, 1), base))
        ;
      else
        break;
      self->p++;
    }
  if (self->p == start)
    {
      fail_expected (self, base == 10 ? _("a digit") : _("a digit of the number's base"));
      return FALSE;
    }
  if (out->len > BEAM_TERM_PARSE_MAX_DIGITS)
    {
      fail (self, start, BEAM_TERM_PARSE_ERROR_TOO_LARGE,
            g_dngettext (NULL, "numbers longer than %d digit cannot be typed",
                         "numbers longer than %d digits cannot be typed",
                         BEAM_TERM_PARSE_MAX_DIGITS), BEAM_TERM_PARSE_MAX_DIGITS);
      return FALSE;
    }
  return TRUE;
}

/* Digits of any base as decimal, through limbs of nine decimal digits. */
static char *
digits_to_decimal (const char *digits,
                   guint       base)
{
  g_autoptr(GArray) limbs = g_array_new (FALSE, TRUE, sizeof (guint32));  /* little end first */
  GString *out;
  guint32 zero = 0;

  g_array_append_val (limbs, zero);
  for (const char *s = digits; *s != '\0'; s++)
    {
      guint64 carry = g_ascii_isdigit (*s) ? (guint) (*s - '0')
                                           : (guint) (g_ascii_tolower (*s) - 'a' + 10);

      for (guint i = 0; i < limbs->len; i++)
        {
          guint64 v = (guint64) g_array_index (limbs, guint32, i) * base + carry;

          g_array_index (limbs, guint32, i) = (guint32) (v % 1000000000u);
          carry = v / 1000000000u;
        }
      if (carry > 0)
        {
          guint32 limb = (guint32) carry;

          g_array_append_val (limbs, limb);
        }
    }

  out = g_string_new (NULL);
  g_string_append_printf (out, "%u", g_array_index (limbs, guint32, limbs->len - 1));
  for (guint i = limbs->len - 1; i-- > 0;)
    g_string_append_printf (out, "%09u", g_array_index (limbs, guint32, i));
  return g_string_free (out, FALSE);
}

static BeamTerm *
make_integer (const char *decimal,
              gboolean    negative,
              guint      *hash)
{
  g_autofree char *signed_digits = g_strconcat (negative ? "-" : "", decimal, NULL);
  BeamTerm *term = beam_term_new_big_integer (signed_digits);

  *hash = hash_term_leaf (term);
  return term;
}

/* An integer or a float, after any sign. */
static BeamTerm *
parse_number (Parser   *self,
              gboolean  negative,
              guint    *hash)
{
  const char *start = self->p;
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autofree char *decimal = NULL;
  guint base = 10;

  if (is_elixir (self) && peek (self, 0) == '0' &&
      (peek (self, 1) == 'x' || peek (self, 1) == 'o' || peek (self, 1) == 'b'))
    {
      base = peek (self, 1) == 'x' ? 16 : peek (self, 1) == 'o' ? 8 : 2;
      self->p += 2;
      if (!read_digits (self, base, digits))
        return NULL;
      decimal = digits_to_decimal (digits->str, base);
      return make_integer (decimal, negative, hash);
    }

  if (!read_digits (self, 10, digits))
    return NULL;

  if (!is_elixir (self) && peek (self, 0) == '#')
    {
      gint64 radix = 0;

      if (!g_ascii_string_to_signed (digits->str, 10, 2, 36, &radix, NULL))
        return fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                     _("a number's base must be 2 to 36"));
      self->p++;
      g_string_truncate (digits, 0);
      if (!read_digits (self, (guint) radix, digits))
        return NULL;
      decimal = digits_to_decimal (digits->str, (guint) radix);
      return make_integer (decimal, negative, hash);
    }

  if (peek (self, 0) == '.' && g_ascii_isdigit (peek (self, 1)))
    {
      BeamTerm *term;
      double value;
      char *end = NULL;

      self->p++;
      g_string_append_c (digits, '.');
      if (!read_digits (self, 10, digits))
        return NULL;
      if ((peek (self, 0) == 'e' || peek (self, 0) == 'E') &&
          (g_ascii_isdigit (peek (self, 1)) ||
           ((peek (self, 1) == '-' || peek (self, 1) == '+') && g_ascii_isdigit (peek (self, 2)))))
        {
          g_string_append_c (digits, 'e');
          self->p++;
          if (*self->p == '-' || *self->p == '+')
            g_string_append_c (digits, *self->p++);
          if (!read_digits (self, 10, digits))
            return NULL;
        }

      value = g_ascii_strtod (digits->str, &end);
      if (end == NULL || *end != '\0' || !isfinite (value))
        return fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                     _("the float %s is out of range"), digits->str);
      term = beam_term_new_float (negative ? -value : value);
      *hash = hash_term_leaf (term);
      return term;
    }

  /* Leading zeros are no part of the value. */
  {
    const char *s = digits->str;

    while (s[0] == '0' && s[1] != '\0')
      s++;
    return make_integer (s, negative && strcmp (s, "0") != 0, hash);
  }
}

/* Characters and text */

/* An escape after its backslash: a character, or with RAW_BYTE set a byte
 * (Elixir's \xHH in strings). FALSE on error. */
static gboolean
parse_escape (Parser  *self,
              guint32 *unit)
{
  const char *start = self->p - 1;
  char c;

  if (at_end (self))
    {
      fail (self, start, BEAM_TERM_PARSE_ERROR_SYNTAX, _("the text ends inside an escape"));
      return FALSE;
    }
  c = *self->p;

  if (c == 'x' && peek (self, 1) == '{')
    {
      guint64 value = 0;
      guint n = 0;

      self->p += 2;
      while (g_ascii_isxdigit (peek (self, 0)) && n < 8)
        {
          value = value * 16 + (guint) g_ascii_xdigit_value (*self->p++);
          n++;
        }
      if (n == 0 || peek (self, 0) != '}')
        {
          fail_expected (self, _("hexadecimal digits and `}`"));
          return FALSE;
        }
      self->p++;
      if (value > 0x10FFFF)
        {
          fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                _("character U+%" PRIX64 " is beyond Unicode"), value);
          return FALSE;
        }
      *unit = (guint32) value;
      return TRUE;
    }
  if (c == 'x')
    {
      if (!g_ascii_isxdigit (peek (self, 1)) || !g_ascii_isxdigit (peek (self, 2)))
        {
          self->p++;
          fail_expected (self, _("two hexadecimal digits"));
          return FALSE;
        }
      *unit = (guint32) (g_ascii_xdigit_value (peek (self, 1)) * 16 +
                         g_ascii_xdigit_value (peek (self, 2)));
      if (is_elixir (self))
        *unit |= RAW_BYTE;
      self->p += 3;
      return TRUE;
    }

  if (is_elixir (self))
    {
      if (c == 'u')
        {
          guint64 value = 0;
          guint n = 0;
          gboolean braced = peek (self, 1) == '{';

          self->p += braced ? 2 : 1;
          while (g_ascii_isxdigit (peek (self, 0)) && n < (braced ? 6u : 4u))
            {
              value = value * 16 + (guint) g_ascii_xdigit_value (*self->p++);
              n++;
            }
          if (braced && (n == 0 || peek (self, 0) != '}'))
            {
              fail_expected (self, _("hexadecimal digits and `}`"));
              return FALSE;
            }
          if (!braced && n != 4)
            {
              fail_expected (self, _("four hexadecimal digits"));
              return FALSE;
            }
          if (braced)
            self->p++;
          if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
            {
              fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                    _("U+%" PRIX64 " is not a Unicode character"), value);
              return FALSE;
            }
          *unit = (guint32) value;
          return TRUE;
        }
      self->p++;
      switch (c)
        {
        case '0': *unit = 0; return TRUE;
        case 'a': *unit = 7; return TRUE;
        case 'b': *unit = 8; return TRUE;
        case 'd': *unit = 127; return TRUE;
        case 'e': *unit = 27; return TRUE;
        case 'f': *unit = 12; return TRUE;
        case 'n': *unit = '\n'; return TRUE;
        case 'r': *unit = '\r'; return TRUE;
        case 's': *unit = ' '; return TRUE;
        case 't': *unit = '\t'; return TRUE;
        case 'v': *unit = 11; return TRUE;
        default:
          self->p--;
          *unit = current_char (self);
          advance_char (self);
          return TRUE;
        }
    }

  if (c >= '0' && c <= '7')
    {
      guint value = 0;

      for (guint n = 0; n < 3 && peek (self, 0) >= '0' && peek (self, 0) <= '7'; n++)
        value = value * 8 + (guint) (*self->p++ - '0');
      *unit = value;
      return TRUE;
    }
  if (c == '^')
    {
      self->p++;
      if (at_end (self))
        {
          fail (self, start, BEAM_TERM_PARSE_ERROR_SYNTAX, _("the text ends inside an escape"));
          return FALSE;
        }
      *unit = current_char (self) & 31;
      advance_char (self);
      return TRUE;
    }
  self->p++;
  switch (c)
    {
    case 'b': *unit = 8; return TRUE;
    case 'd': *unit = 127; return TRUE;
    case 'e': *unit = 27; return TRUE;
    case 'f': *unit = 12; return TRUE;
    case 'n': *unit = '\n'; return TRUE;
    case 'r': *unit = '\r'; return TRUE;
    case 's': *unit = ' '; return TRUE;
    case 't': *unit = '\t'; return TRUE;
    case 'v': *unit = 11; return TRUE;
    default:
      self->p--;
      *unit = current_char (self);
      advance_char (self);
      return TRUE;
    }
}

/* Quoted text up to `close` (the opening quote already read), as units:
 * characters, or raw bytes marked RAW_BYTE. */
static GArray *
read_quoted (Parser     *self,
             const char *open,
             gunichar    close)
{
  g_autoptr(GArray) units = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (;;)
    {
      gunichar c;
      guint32 unit;

      if (at_end (self))
        return fail (self, open, BEAM_TERM_PARSE_ERROR_SYNTAX,
                     _("the text ends before this quote is closed"));
      c = current_char (self);
      if (c == close)
        {
          advance_char (self);
          return g_steal_pointer (&units);
        }
      if (c == '\\')
        {
          self->p++;
          /* A backslash at the end of a line joins the next one. */
          if (is_elixir (self) && peek (self, 0) == '\n')
            {
              self->p++;
              continue;
            }
          if (!parse_escape (self, &unit))
            return NULL;
        }
      else if (c == '#' && is_elixir (self) && peek (self, 1) == '{')
        return fail (self, self->p, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                     _("interpolation `#{...}` is not supported; write \\#{ for the characters"));
      else
        {
          unit = c;
          advance_char (self);
        }
      g_array_append_val (units, unit);
    }
}

static gboolean
is_valid_char (guint32 unit)
{
  return unit <= 0x10FFFF && !(unit >= 0xD800 && unit <= 0xDFFF);
}

/* Units as a list of integers: Erlang strings, Elixir charlists. */
static BeamTerm *
units_to_list (GArray *units,
               guint  *hash)
{
  Elements elements;
  BeamTerm *term;

  elements_init (&elements);
  for (guint i = 0; i < units->len; i++)
    {
      guint32 unit = g_array_index (units, guint32, i) & ~RAW_BYTE;
      BeamTerm *c = beam_term_new_integer (unit);

      elements_add (&elements, c, hash_term_leaf (c));
    }
  *hash = elements.poly + HASH_LIST;
  term = beam_term_new_list_take (g_steal_pointer (&elements.terms));
  elements_clear (&elements);
  return term;
}

/* Units as UTF-8 bytes, raw bytes as themselves. */
static GByteArray *
units_to_bytes (Parser     *self,
                const char *at,
                GArray     *units)
{
  g_autoptr(GByteArray) bytes = g_byte_array_sized_new (units->len);

  for (guint i = 0; i < units->len; i++)
    {
      guint32 unit = g_array_index (units, guint32, i);
      guint8 utf8[6];

      if (unit & RAW_BYTE)
        {
          guint8 byte = (guint8) unit;

          g_byte_array_append (bytes, &byte, 1);
          continue;
        }
      if (!is_valid_char (unit))
        return fail (self, at, BEAM_TERM_PARSE_ERROR_INVALID,
                     _("U+%X is not a Unicode character"), unit);
      g_byte_array_append (bytes, utf8, g_unichar_to_utf8 (unit, (char *) utf8));
    }
  return g_steal_pointer (&bytes);
}

static BeamTerm *
units_to_atom (Parser     *self,
               const char *at,
               GArray     *units,
               guint      *hash)
{
  g_autoptr(GByteArray) bytes = NULL;
  BeamTerm *term;

  if (units->len > MAX_ATOM_CHARS)
    return fail (self, at, BEAM_TERM_PARSE_ERROR_INVALID,
                 g_dngettext (NULL, "atoms have at most %d character",
                              "atoms have at most %d characters", MAX_ATOM_CHARS),
                 MAX_ATOM_CHARS);
  bytes = units_to_bytes (self, at, units);
  if (bytes == NULL)
    return NULL;
  /* The empty atom '' has no data at all, and memchr (NULL, ...) is undefined (UBSan). */
  if (bytes->len > 0 && memchr (bytes->data, '\0', bytes->len) != NULL)
    return fail (self, at, BEAM_TERM_PARSE_ERROR_INVALID, _("atoms cannot hold NUL"));
  if (!g_utf8_validate_len ((const char *) bytes->data, bytes->len, NULL))
    return fail (self, at, BEAM_TERM_PARSE_ERROR_INVALID, _("atoms must be UTF-8 text"));
  g_byte_array_append (bytes, (const guint8 *) "", 1);
  term = beam_term_new_atom ((const char *) bytes->data);
  *hash = hash_term_leaf (term);
  return term;
}

static BeamTerm *
make_atom (const char *name,
           gsize       len,
           guint      *hash)
{
  g_autofree char *copy = g_strndup (name, len);
  BeamTerm *term = beam_term_new_atom (copy);

  *hash = hash_term_leaf (term);
  return term;
}

/* Erlang strings: "..." and any more right after it, joined. */
static GArray *
read_erlang_strings (Parser *self)
{
  g_autoptr(GArray) all = NULL;

  do
    {
      const char *open = self->p;
      g_autoptr(GArray) units = NULL;

      self->p++;
      units = read_quoted (self, open, '"');
      if (units == NULL || !skip_space (self))
        return NULL;
      if (all == NULL)
        all = g_steal_pointer (&units);
      else
        g_array_append_vals (all, units->data, units->len);
    }
  while (peek (self, 0) == '"');

  return g_steal_pointer (&all);
}

/* $c in Erlang, ?c in Elixir. */
static BeamTerm *
parse_char (Parser *self,
            guint  *hash)
{
  const char *start = self->p;
  guint32 unit;
  BeamTerm *term;

  self->p++;
  if (at_end (self))
    return fail (self, start, BEAM_TERM_PARSE_ERROR_SYNTAX,
                 _("the text ends where a character was expected"));
  if (*self->p == '\\')
    {
      self->p++;
      if (!parse_escape (self, &unit))
        return NULL;
      unit &= ~RAW_BYTE;
    }
  else
    {
      unit = current_char (self);
      advance_char (self);
    }
  term = beam_term_new_integer (unit);
  *hash = hash_term_leaf (term);
  return term;
}

/* Names */

/* Erlang's name characters: latin-1 letters, digits, `_` and `@`. */
static gboolean
erlang_name_char (gunichar c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '@' ||
         (c >= 0xc0 && c <= 0xff && c != 0xd7 && c != 0xf7);
}

static gboolean
erlang_lower_start (gunichar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 0xdf && c <= 0xff && c != 0xf7);
}

static gboolean
erlang_upper_start (gunichar c)
{
  return (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0xc0 && c <= 0xde && c != 0xd7);
}

static gboolean
elixir_ident_start (gunichar c)
{
  return c == '_' || (c < 128 ? g_ascii_isalpha (c) : g_unichar_isalpha (c));
}

static gboolean
elixir_ident_char (gunichar c)
{
  GUnicodeType type;

  if (c < 128)
    return g_ascii_isalnum (c) || c == '_' || c == '@';
  type = g_unichar_type (c);
  return g_unichar_isalnum (c) || type == G_UNICODE_NON_SPACING_MARK ||
         type == G_UNICODE_SPACING_MARK || type == G_UNICODE_CONNECT_PUNCTUATION;
}

/* The end of an Elixir identifier starting at `p`, with a final ? or !. */
static const char *
elixir_ident_end (Parser *self)
{
  const char *s = self->p;

  if (s >= self->end || !elixir_ident_start (g_utf8_get_char (s)))
    return s;
  s = g_utf8_next_char (s);
  while (s < self->end && elixir_ident_char (g_utf8_get_char (s)))
    s = g_utf8_next_char (s);
  if (s < self->end && (*s == '?' || *s == '!'))
    s++;
  return s;
}

/* Elixir's operators, longest first, which may follow `:` as atoms or
 * precede it as keys. */
static gsize
elixir_operator_length (Parser *self)
{
  static const char * const operators[] = {
    "..//", "<<>>", "===", "!==", "<<<", ">>>", "<<~", "~>>", "<~>", "|||", "&&&", "+++",
    "---", "...", "%{}", "^^^", "~~~", "<|>", "::", "->", "<-", "\\\\", "||", "&&", "==",
    "!=", "=~", "<=", ">=", "|>", "<~", "~>", "++", "--", "<>", "**", "..", "{}", "!", "@",
    "&", "^", "+", "-", "=", "<", ">", "|", "*", "/", ".", "%",
  };

  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    if (looking_at (self, operators[i]))
      return strlen (operators[i]);
  return 0;
}

static const char *
erlang_reserved_word (const char *name,
                      gsize       len)
{
  static const char * const words[] = {
    "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor",
    "case", "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or",
    "orelse", "receive", "rem", "try", "when", "xor", "maybe", "else",
  };

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strlen (words[i]) == len && memcmp (name, words[i], len) == 0)
      return words[i];
  return NULL;
}

static gpointer
fail_variable (Parser     *self,
               const char *start,
               gsize       len)
{
  if (is_elixir (self))
    return fail (self, start, BEAM_TERM_PARSE_ERROR_VARIABLE,
                 _("`%.*s` is a variable; write :%.*s for the atom"),
                 (int) len, start, (int) len, start);
  return fail (self, start, BEAM_TERM_PARSE_ERROR_VARIABLE,
               _("`%.*s` is a variable; match variables are written '$1', '$2', ..."),
               (int) len, start);
}

static BeamTerm *
parse_erlang_name (Parser *self,
                   guint  *hash)
{
  const char *start = self->p;
  gunichar first = current_char (self);
  const char *word;
  gsize len;

  advance_char (self);
  while (!at_end (self) && erlang_name_char (current_char (self)))
    advance_char (self);
  len = self->p - start;

  if (erlang_upper_start (first))
    {
      /* In a match pattern `_` and `_Name` both match anything. */
      if (first == '_')
        return make_atom ("_", 1, hash);
      return fail_variable (self, start, len);
    }

  word = erlang_reserved_word (start, len);
  if (word != NULL && strcmp (word, "fun") == 0)
    return fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("funs cannot be typed; match them with '_' or a match variable"));
  if (word != NULL)
    return fail (self, start, BEAM_TERM_PARSE_ERROR_SYNTAX,
                 _("`%s` is a reserved word; write '%s' for the atom"), word, word);
  if (peek (self, 0) == '(' || (peek (self, 0) == ':' && peek (self, 1) != ':'))
    return fail (self, self->p, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("function calls cannot be typed, only terms"));
  return make_atom (start, len, hash);
}

/* Foo.Bar, the atom 'Elixir.Foo.Bar'. */
static BeamTerm *
parse_elixir_alias (Parser *self,
                    guint  *hash)
{
  const char *start = self->p;
  g_autofree char *name = NULL;
  gsize len;

  for (;;)
    {
      self->p++;
      while (!at_end (self) && (g_ascii_isalnum (*self->p) || *self->p == '_'))
        self->p++;
      if (peek (self, 0) == '.' && g_ascii_isupper (peek (self, 1)))
        self->p++;
      else
        break;
    }
  len = self->p - start;
  if (peek (self, 0) == '.' && (g_ascii_islower (peek (self, 1)) || peek (self, 1) == '_'))
    return fail (self, self->p, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("function calls cannot be typed, only terms"));
  if (peek (self, 0) == '{' && !self->struct_name)
    return fail (self, self->p, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("structs are written %%Name{...}"));

  if (len >= strlen ("Elixir") && memcmp (start, "Elixir", strlen ("Elixir")) == 0 &&
      (len == strlen ("Elixir") || start[strlen ("Elixir")] == '.'))
    name = g_strndup (start, len);
  else
    name = g_strdup_printf ("Elixir.%.*s", (int) len, start);
  if (g_utf8_strlen (name, -1) > MAX_ATOM_CHARS)
    return fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                 g_dngettext (NULL, "atoms have at most %d character",
                              "atoms have at most %d characters", MAX_ATOM_CHARS),
                 MAX_ATOM_CHARS);
  return make_atom (name, strlen (name), hash);
}

static BeamTerm *
parse_elixir_name (Parser *self,
                   guint  *hash)
{
  const char *start = self->p;
  const char *end;
  gsize len;

  if (g_ascii_isupper (*self->p))
    return parse_elixir_alias (self, hash);

  end = elixir_ident_end (self);
  if (end == start)
    {
      g_autofree char *found = describe_char (self, start);

      return fail (self, start, BEAM_TERM_PARSE_ERROR_SYNTAX, _("unexpected %s"), found);
    }
  self->p = end;
  len = end - start;

  if ((len == 4 && memcmp (start, "true", 4) == 0) ||
      (len == 5 && memcmp (start, "false", 5) == 0) ||
      (len == 3 && memcmp (start, "nil", 3) == 0))
    return make_atom (start, len, hash);
  if (start[0] == '_')
    return make_atom ("_", 1, hash);
  if (len == 2 && memcmp (start, "fn", 2) == 0)
    return fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("funs cannot be typed; match them with :_ or a match variable"));
  if (peek (self, 0) == '(' || peek (self, 0) == '.')
    return fail (self, self->p, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("function calls cannot be typed, only terms"));
  return fail_variable (self, start, len);
}

/* :atom, :"quoted", :+ in Elixir. */
static BeamTerm *
parse_elixir_atom (Parser *self,
                   guint  *hash)
{
  const char *start = self->p;
  const char *end;
  gsize op_len;

  self->p++;
  if (peek (self, 0) == '"' || peek (self, 0) == '\'')
    {
      const char *open = self->p;
      g_autoptr(GArray) units = NULL;

      self->p++;
      units = read_quoted (self, open, (gunichar) *open);
      if (units == NULL)
        return NULL;
      return units_to_atom (self, start, units, hash);
    }

  end = elixir_ident_end (self);
  if (end > self->p)
    {
      const char *name = self->p;

      self->p = end;
      if (g_utf8_strlen (name, end - name) > MAX_ATOM_CHARS)
        return fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                     g_dngettext (NULL, "atoms have at most %d character",
                                  "atoms have at most %d characters", MAX_ATOM_CHARS),
                     MAX_ATOM_CHARS);
      return make_atom (name, end - name, hash);
    }

  op_len = elixir_operator_length (self);
  if (op_len > 0)
    {
      const char *name = self->p;

      self->p += op_len;
      return make_atom (name, op_len, hash);
    }
  return fail_expected (self, _("an atom's name after `:`"));
}

/* ~c"..." and ~s"..." with any of Elixir's delimiters. */
static BeamTerm *
parse_elixir_sigil (Parser *self,
                    guint  *hash)
{
  static const char opens[] = "\"'([{<|/";
  static const char closes[] = "\"')]}>|/";
  const char *start = self->p;
  g_autoptr(GArray) units = NULL;
  const char *open;
  char letter = peek (self, 1);

  if (letter != 'c' && letter != 's')
    return fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("only the sigils ~c and ~s can be typed"));
  self->p += 2;
  open = strchr (opens, peek (self, 0));
  if (at_end (self) || open == NULL)
    return fail_expected (self, _("the sigil's opening delimiter"));
  if (looking_at (self, "\"\"\"") || looking_at (self, "'''"))
    return fail (self, self->p, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("heredocs are not supported; write the text on one line with \\n"));
  self->p++;
  units = read_quoted (self, self->p - 1, (gunichar) closes[open - opens]);
  if (units == NULL)
    return NULL;

  if (letter == 'c')
    return units_to_list (units, hash);
  else
    {
      g_autoptr(GByteArray) bytes = units_to_bytes (self, start, units);
      BeamTerm *term;

      if (bytes == NULL)
        return NULL;
      term = beam_term_new_binary (bytes->data, bytes->len);
      *hash = hash_term_leaf (term);
      return term;
    }
}

/* Elixir "..." as a binary, or '...' as a charlist. */
static BeamTerm *
parse_elixir_quoted (Parser *self,
                     guint  *hash)
{
  const char *start = self->p;
  char quote = *self->p;
  g_autoptr(GArray) units = NULL;
  g_autoptr(GByteArray) bytes = NULL;
  BeamTerm *term;

  if (looking_at (self, "\"\"\"") || looking_at (self, "'''"))
    return fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                 _("heredocs are not supported; write the text on one line with \\n"));
  self->p++;
  units = read_quoted (self, start, (gunichar) quote);
  if (units == NULL)
    return NULL;
  if (quote == '\'')
    return units_to_list (units, hash);

  bytes = units_to_bytes (self, start, units);
  if (bytes == NULL)
    return NULL;
  term = beam_term_new_binary (bytes->data, bytes->len);
  *hash = hash_term_leaf (term);
  return term;
}

/* Containers */

static gboolean
enter (Parser *self)
{
  if (++self->depth > BEAM_TERM_PARSE_MAX_DEPTH)
    {
      fail (self, self->p, BEAM_TERM_PARSE_ERROR_TOO_DEEP,
            g_dngettext (NULL, "terms nested deeper than %d level cannot be typed",
                         "terms nested deeper than %d levels cannot be typed",
                         BEAM_TERM_PARSE_MAX_DEPTH),
            BEAM_TERM_PARSE_MAX_DEPTH);
      return FALSE;
    }
  return TRUE;
}

/* An Elixir keyword key (`name:`, `"quoted":`) at p, read as an atom; NULL
 * with nothing read and no error if there is none. */
static BeamTerm *
try_elixir_key (Parser *self,
                guint  *hash)
{
  const char *start = self->p;
  const char *end;

  if (!is_elixir (self))
    return NULL;

  if (peek (self, 0) == '"' || peek (self, 0) == '\'')
    {
      /* A quoted key is a quote whose closing one has a colon after it:
       * read it, and go back if it has none. */
      g_autoptr(GArray) units = NULL;
      g_autoptr(GError) saved = g_steal_pointer (&self->error);

      self->p++;
      units = read_quoted (self, start, (gunichar) *start);
      if (units == NULL || peek (self, 0) != ':' || peek (self, 1) == ':')
        {
          g_clear_error (&self->error);
          self->error = g_steal_pointer (&saved);
          self->p = start;
          return NULL;
        }
      self->p++;
      return units_to_atom (self, start, units, hash);
    }

  end = elixir_ident_end (self);
  if (end == start && strchr ("!%&*+-./<=>@\\^{|~", peek (self, 0)) != NULL)
    end = start + elixir_operator_length (self);
  if (end == start || end >= self->end || *end != ':' ||
      (end + 1 < self->end && end[1] == ':'))
    return NULL;
  self->p = end + 1;
  return make_atom (start, end - start, hash);
}

/* `key: value, ...` to `close`: Elixir keywords, which come last in a list,
 * tuple or map. Adds {key, value} tuples, or for a map key and value. */
static gboolean
parse_keywords (Parser   *self,
                char      close,
                gboolean  for_map,
                GPtrArray *pairs,
                GArray    *hashes)
{
  for (;;)
    {
      guint key_hash = 0;
      guint value_hash = 0;
      g_autoptr(BeamTerm) key = NULL;
      g_autoptr(BeamTerm) value = NULL;

      if (!skip_space (self))
        return FALSE;
      key = try_elixir_key (self, &key_hash);
      if (key == NULL)
        {
          if (self->error == NULL)
            fail (self, self->p, BEAM_TERM_PARSE_ERROR_SYNTAX,
                  _("keyword pairs (key: value) must come last"));
          return FALSE;
        }
      value = parse_term (self, &value_hash);
      if (value == NULL || !skip_space (self))
        return FALSE;

      if (for_map)
        {
          g_ptr_array_add (pairs, g_steal_pointer (&key));
          g_ptr_array_add (pairs, g_steal_pointer (&value));
          g_array_append_val (hashes, key_hash);
          g_array_append_val (hashes, value_hash);
        }
      else
        {
          guint hash = HASH_TUPLE + key_hash + value_hash * HASH_MULTIPLIER;

          g_ptr_array_add (pairs, beam_term_new_tuple (2, g_steal_pointer (&key),
                                                       g_steal_pointer (&value)));
          g_array_append_val (hashes, hash);
        }

      if (peek (self, 0) == ',')
        {
          self->p++;
          if (!skip_space (self))
            return FALSE;
          if (peek (self, 0) == close)
            return TRUE;
          continue;
        }
      if (peek (self, 0) == close)
        return TRUE;
      fail_expected (self, close == ']' ? _("`,` or `]`") : close == '}' ? _("`,` or `}`")
                                                                          : _("`,`"));
      return FALSE;
    }
}

/* Elements up to `close`, for tuples and lists; a list's `| tail` too. */
static BeamTerm *
parse_sequence (Parser *self,
                char    close,
                guint  *hash)
{
  gboolean is_list = close == ']';
  g_autoptr(BeamTerm) tail = NULL;
  guint tail_hash = HASH_LIST;
  Elements elements;
  BeamTerm *term = NULL;

  if (!enter (self))
    return NULL;
  self->p++;
  elements_init (&elements);

  if (!skip_space (self))
    goto out;
  while (peek (self, 0) != close)
    {
      const char *element_start;
      BeamTerm *element;
      guint element_hash = 0;
      BeamTerm *key;

      element_start = self->p;
      key = try_elixir_key (self, &element_hash);
      if (self->error != NULL)
        goto out;
      if (key != NULL)
        {
          g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (
            (GDestroyNotify) beam_term_free);
          g_autoptr(GArray) hashes = g_array_new (FALSE, FALSE, sizeof (guint));

          /* The keywords read their keys themselves, from the first. */
          beam_term_free (key);
          self->p = element_start;
          if (!parse_keywords (self, close, FALSE, pairs, hashes))
            goto out;
          if (is_list)
            {
              for (guint i = 0; i < pairs->len; i++)
                elements_add (&elements, g_steal_pointer (&pairs->pdata[i]),
                              g_array_index (hashes, guint, i));
            }
          else
            {
              Elements keywords;

              /* {1, a: 2} is {1, [a: 2]}. */
              elements_init (&keywords);
              for (guint i = 0; i < pairs->len; i++)
                elements_add (&keywords, g_steal_pointer (&pairs->pdata[i]),
                              g_array_index (hashes, guint, i));
              element_hash = keywords.poly + HASH_LIST;
              elements_add (&elements, beam_term_new_list_take (g_steal_pointer (&keywords.terms)),
                            element_hash);
              elements_clear (&keywords);
            }
          break;
        }

      element = parse_term (self, &element_hash);
      if (element == NULL)
        goto out;
      elements_add (&elements, element, element_hash);
      if (!skip_space (self))
        goto out;

      if (peek (self, 0) == ',')
        {
          self->p++;
          if (!skip_space (self))
            goto out;
          /* Elixir takes a comma before the closing bracket. */
          if (peek (self, 0) == close && is_elixir (self))
            break;
          if (peek (self, 0) == close)
            {
              fail_expected (self, _("a term after `,`"));
              goto out;
            }
          continue;
        }
      if (is_list && peek (self, 0) == '|' && peek (self, 1) != '|')
        {
          self->p++;
          tail = parse_term (self, &tail_hash);
          if (tail == NULL || !skip_space (self))
            goto out;
          if (peek (self, 0) != close)
            {
              fail_expected (self, _("`]` after the list's tail"));
              goto out;
            }
          break;
        }
      if (peek (self, 0) != close)
        {
          fail_expected (self, is_list ? _("`,`, `|` or `]`") : _("`,` or `}`"));
          goto out;
        }
    }
  self->p++;

  if (!is_list)
    {
      *hash = elements.poly + HASH_TUPLE;
      term = beam_term_new_tuple_take (g_steal_pointer (&elements.terms));
    }
  else if (tail != NULL)
    {
      /* The tail's elements continue the polynomial of ours. */
      if (tail->kind == BEAM_TERM_LIST)
        *hash = elements.poly + elements.power * (tail_hash - HASH_LIST) + HASH_LIST;
      else
        *hash = elements.poly + elements.power * tail_hash + HASH_LIST;
      term = beam_term_new_list_with_tail_take (g_steal_pointer (&elements.terms),
                                                g_steal_pointer (&tail));
    }
  else
    {
      *hash = elements.poly + HASH_LIST;
      term = beam_term_new_list_take (g_steal_pointer (&elements.terms));
    }

out:
  elements_clear (&elements);
  self->depth--;
  return term;
}

static gboolean
map_add (Parser     *self,
         const char *at,
         GPtrArray  *pairs,
         GArray     *hashes,
         GHashTable *index,
         BeamTerm   *key,
         guint       key_hash,
         BeamTerm   *value,
         guint       value_hash)
{
  MapKey probe = { key_hash, key, 0 };
  MapKey *found = g_hash_table_lookup (index, &probe);
  MapKey *entry;

  if (found != NULL)
    {
      /* As in the languages, the last value of a repeated key wins. */
      beam_term_free (key);
      beam_term_free (pairs->pdata[found->value_index]);
      pairs->pdata[found->value_index] = value;
      g_array_index (hashes, guint, found->value_index) = value_hash;
      return TRUE;
    }

  if (pairs->len / 2 >= G_MAXUINT / 4)
    {
      beam_term_free (key);
      beam_term_free (value);
      fail (self, at, BEAM_TERM_PARSE_ERROR_TOO_LARGE, _("the map is too large"));
      return FALSE;
    }
  entry = g_new (MapKey, 1);
  entry->hash = key_hash;
  entry->term = key;
  entry->value_index = pairs->len + 1;
  g_ptr_array_add (pairs, key);
  g_ptr_array_add (pairs, value);
  g_array_append_val (hashes, key_hash);
  g_array_append_val (hashes, value_hash);
  g_hash_table_add (index, entry);
  return TRUE;
}

/* #{K => V, ...} in Erlang, %{K => V, k: v} in Elixir; with `struct_name`
 * (taken; NULL for none), %Name{k: v}, whose __struct__ key is Name. */
static BeamTerm *
parse_map (Parser   *self,
           guint    *hash,
           BeamTerm *struct_name,
           guint     struct_hash)
{
  g_autoptr(BeamTerm) name = struct_name;
  g_autoptr(GPtrArray) pairs = NULL;
  g_autoptr(GArray) hashes = NULL;
  g_autoptr(GHashTable) index = NULL;
  BeamTerm *term = NULL;
  guint map_hash = HASH_MAP;

  if (!enter (self))
    return NULL;
  self->p += 2;
  pairs = g_ptr_array_new_with_free_func ((GDestroyNotify) beam_term_free);
  hashes = g_array_new (FALSE, FALSE, sizeof (guint));
  index = g_hash_table_new_full (map_key_hash, map_key_equal, g_free, NULL);

  if (!skip_space (self))
    goto out;
  while (peek (self, 0) != '}')
    {
      const char *pair_start = self->p;
      g_autoptr(BeamTerm) key = NULL;
      BeamTerm *value;
      guint key_hash = 0;
      guint value_hash = 0;

      key = try_elixir_key (self, &key_hash);
      if (self->error != NULL)
        goto out;
      if (key != NULL)
        {
          g_autoptr(GPtrArray) keywords = g_ptr_array_new_with_free_func (
            (GDestroyNotify) beam_term_free);
          g_autoptr(GArray) keyword_hashes = g_array_new (FALSE, FALSE, sizeof (guint));

          g_clear_pointer (&key, beam_term_free);
          self->p = pair_start;
          if (!parse_keywords (self, '}', TRUE, keywords, keyword_hashes))
            goto out;
          for (guint i = 0; i < keywords->len; i += 2)
            if (!map_add (self, pair_start, pairs, hashes, index,
                          g_steal_pointer (&keywords->pdata[i]),
                          g_array_index (keyword_hashes, guint, i),
                          g_steal_pointer (&keywords->pdata[i + 1]),
                          g_array_index (keyword_hashes, guint, i + 1)))
              goto out;
          break;
        }

      key = parse_term (self, &key_hash);
      if (key == NULL || !skip_space (self))
        goto out;
      if (!expect (self, "=>", "`=>`"))
        goto out;
      value = parse_term (self, &value_hash);
      if (value == NULL)
        goto out;
      if (!map_add (self, pair_start, pairs, hashes, index,
                    g_steal_pointer (&key), key_hash, value, value_hash))
        goto out;
      if (!skip_space (self))
        goto out;

      if (peek (self, 0) == ',')
        {
          self->p++;
          if (!skip_space (self))
            goto out;
          if (peek (self, 0) == '}' && !is_elixir (self))
            {
              fail_expected (self, _("a key after `,`"));
              goto out;
            }
          continue;
        }
      if (peek (self, 0) != '}')
        {
          fail_expected (self, _("`,` or `}`"));
          goto out;
        }
    }
  self->p++;

  /* Last, as the name wins over a __struct__ key written inside. */
  if (name != NULL)
    {
      guint key_hash = 0;
      BeamTerm *key = make_atom ("__struct__", strlen ("__struct__"), &key_hash);

      if (!map_add (self, self->p, pairs, hashes, index, key, key_hash,
                    g_steal_pointer (&name), struct_hash))
        goto out;
    }

  /* A sum, as the pairs have no order. */
  for (guint i = 0; i < hashes->len; i += 2)
    map_hash += hash_mix ((guint64) g_array_index (hashes, guint, i) << 32 |
                          g_array_index (hashes, guint, i + 1));
  *hash = map_hash;
  term = beam_term_new_map_take (g_steal_pointer (&pairs));

out:
  self->depth--;
  return term;
}

/* %Name{k: v}: a map whose __struct__ key is the alias Name. */
static BeamTerm *
parse_struct (Parser *self,
              guint  *hash)
{
  BeamTerm *name;
  guint name_hash = 0;

  self->p++;
  self->struct_name = TRUE;
  name = parse_elixir_alias (self, &name_hash);
  self->struct_name = FALSE;
  if (name == NULL)
    return NULL;
  if (peek (self, 0) != '{')
    {
      beam_term_free (name);
      fail_expected (self, _("`{` after the struct's name"));
      return NULL;
    }
  /* parse_map steps over two characters, "%{" or "#{". */
  self->p--;
  return parse_map (self, hash, name, name_hash);
}

/* Binaries */

typedef struct
{
  GByteArray *bytes;
  gsize       n_bits;
} BitWriter;

static void
bits_append_bit (BitWriter *writer,
                 guint      bit)
{
  if (writer->n_bits % 8 == 0)
    {
      guint8 zero = 0;

      g_byte_array_append (writer->bytes, &zero, 1);
    }
  if (bit)
    writer->bytes->data[writer->n_bits / 8] |= (guint8) (0x80 >> (writer->n_bits % 8));
  writer->n_bits++;
}

/* The first n_bits of data, most significant bit first. */
static void
bits_append (BitWriter    *writer,
             const guint8 *data,
             gsize         n_bits)
{
  /* Not for less than a byte: an empty binary's data may be NULL, and NULL + 0 is undefined
   * (UBSan, found by tests/fuzz/fuzz-term-parse.c). */
  if (writer->n_bits % 8 == 0 && n_bits >= 8)
    {
      gsize whole = n_bits / 8;

      g_byte_array_append (writer->bytes, data, (guint) whole);
      writer->n_bits += whole * 8;
      data += whole;
      n_bits -= whole * 8;
    }
  for (gsize i = 0; i < n_bits; i++)
    bits_append_bit (writer, (data[i / 8] >> (7 - i % 8)) & 1);
}

typedef enum
{
  SEGMENT_DEFAULT,
  SEGMENT_INTEGER,
  SEGMENT_FLOAT,
  SEGMENT_BINARY,
  SEGMENT_BITSTRING,
  SEGMENT_UTF8,
  SEGMENT_UTF16,
  SEGMENT_UTF32,
} SegmentType;

typedef struct
{
  SegmentType type;
  gboolean    little;
  gint64      size;  /* -1: the type's default */
  gint64      unit;  /* 0: the type's default */
} SegmentSpec;

static gboolean
apply_modifier (Parser      *self,
                const char  *word,
                gsize        len,
                gint64       argument,
                SegmentSpec *spec)
{
  static const struct { const char *name; SegmentType type; } types[] = {
    { "integer", SEGMENT_INTEGER }, { "float", SEGMENT_FLOAT }, { "binary", SEGMENT_BINARY },
    { "bytes", SEGMENT_BINARY }, { "bitstring", SEGMENT_BITSTRING },
    { "bits", SEGMENT_BITSTRING }, { "utf8", SEGMENT_UTF8 }, { "utf16", SEGMENT_UTF16 },
    { "utf32", SEGMENT_UTF32 },
  };
  g_autofree char *name = g_strndup (word, len);

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (strcmp (name, types[i].name) == 0 && argument < 0)
      {
        spec->type = types[i].type;
        return TRUE;
      }
  if ((strcmp (name, "signed") == 0 || strcmp (name, "unsigned") == 0) && argument < 0)
    return TRUE;
  if ((strcmp (name, "big") == 0 || strcmp (name, "little") == 0) && argument < 0)
    {
      spec->little = name[0] == 'l';
      return TRUE;
    }
  if (strcmp (name, "native") == 0)
    {
      fail (self, word, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
            _("native endianness is the node's; write big or little"));
      return FALSE;
    }
  if (strcmp (name, "size") == 0 && argument >= 0)
    {
      spec->size = argument;
      return TRUE;
    }
  if (strcmp (name, "unit") == 0 && argument >= 1 && argument <= 256)
    {
      spec->unit = argument;
      return TRUE;
    }
  fail (self, word, BEAM_TERM_PARSE_ERROR_SYNTAX,
        _("`%s` is not a binary segment's type, size or unit"), name);
  return FALSE;
}

/* A small count in decimal: sizes and units. */
static gboolean
read_count (Parser *self,
            gint64 *out)
{
  const char *start = self->p;
  gint64 value = 0;

  if (!g_ascii_isdigit (peek (self, 0)))
    {
      fail_expected (self, _("a size"));
      return FALSE;
    }
  while (g_ascii_isdigit (peek (self, 0)))
    {
      value = value * 10 + (*self->p++ - '0');
      if (value > (gint64) BEAM_TERM_PARSE_MAX_BINARY * 8)
        {
          fail (self, start, BEAM_TERM_PARSE_ERROR_TOO_LARGE,
                g_dngettext (NULL, "binaries of more than %d byte cannot be typed",
                             "binaries of more than %d bytes cannot be typed",
                             BEAM_TERM_PARSE_MAX_BINARY),
                BEAM_TERM_PARSE_MAX_BINARY);
          return FALSE;
        }
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_segment_spec (Parser      *self,
                    SegmentSpec *spec)
{
  spec->type = SEGMENT_DEFAULT;
  spec->little = FALSE;
  spec->size = -1;
  spec->unit = 0;

  if (!is_elixir (self))
    {
      if (peek (self, 0) == ':')
        {
          self->p++;
          if (!read_count (self, &spec->size))
            return FALSE;
        }
      if (peek (self, 0) != '/')
        return TRUE;
      do
        {
          const char *word = ++self->p;
          gint64 argument = -1;

          while (g_ascii_isalnum (peek (self, 0)))
            self->p++;
          if (self->p == word)
            {
              fail_expected (self, _("a type such as integer, float, binary or utf8"));
              return FALSE;
            }
          if (peek (self, 0) == ':')
            {
              self->p++;
              if (!read_count (self, &argument))
                return FALSE;
              if (self->p - word < 5 || memcmp (word, "unit:", 5) != 0)
                {
                  fail (self, word, BEAM_TERM_PARSE_ERROR_SYNTAX,
                        _("only unit takes a value after `:`"));
                  return FALSE;
                }
              if (!apply_modifier (self, word, 4, argument, spec))
                return FALSE;
              continue;
            }
          if (!apply_modifier (self, word, self->p - word, -1, spec))
            return FALSE;
        }
      while (peek (self, 0) == '-');
      return TRUE;
    }

  if (!looking_at (self, "::"))
    return TRUE;
  self->p++;
  do
    {
      const char *word = ++self->p;
      gint64 argument = -1;

      if (g_ascii_isdigit (peek (self, 0)))
        {
          if (!read_count (self, &spec->size))
            return FALSE;
          continue;
        }
      while (g_ascii_isalnum (peek (self, 0)))
        self->p++;
      if (self->p == word)
        {
          fail_expected (self, _("a type such as integer, float, binary or utf8"));
          return FALSE;
        }
      if (peek (self, 0) == '(')
        {
          const char *end = self->p;

          self->p++;
          if (!read_count (self, &argument) || !expect (self, ")", "`)`"))
            return FALSE;
          if (!apply_modifier (self, word, end - word, argument, spec))
            return FALSE;
          continue;
        }
      if (!apply_modifier (self, word, self->p - word, -1, spec))
        return FALSE;
    }
  while (peek (self, 0) == '-');
  return TRUE;
}

static gboolean
spend_budget (Parser     *self,
              const char *at,
              guint64     n_bits)
{
  guint64 n_bytes = (n_bits + 7) / 8;

  if (n_bytes > self->binary_budget)
    {
      fail (self, at, BEAM_TERM_PARSE_ERROR_TOO_LARGE,
            g_dngettext (NULL, "binaries of more than %d byte cannot be typed",
                         "binaries of more than %d bytes cannot be typed",
                         BEAM_TERM_PARSE_MAX_BINARY), BEAM_TERM_PARSE_MAX_BINARY);
      return FALSE;
    }
  self->binary_budget -= n_bytes;
  return TRUE;
}

/* The low `n_bits` of `value`, sign-extended, as Erlang writes an integer
 * segment. */
static gboolean
write_integer (Parser     *self,
               const char *at,
               BitWriter  *writer,
               gint64      value,
               guint64     n_bits,
               gboolean    little)
{
  g_autofree guint8 *buf = NULL;
  gsize n_bytes = (gsize) ((n_bits + 7) / 8);

  if (!spend_budget (self, at, n_bits))
    return FALSE;
  if (n_bits == 0)
    return TRUE;

  buf = g_malloc0 (n_bytes);
  if (little)
    {
      if (n_bits % 8 != 0)
        {
          fail (self, at, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                _("little-endian segments must be whole bytes"));
          return FALSE;
        }
      for (gsize k = 0; k < n_bytes; k++)
        buf[k] = k * 8 >= 64 ? (value < 0 ? 0xff : 0) : (guint8) ((guint64) value >> (k * 8));
    }
  else
    {
      for (guint64 j = 0; j < n_bits; j++)
        {
          guint64 i = n_bits - 1 - j;
          guint bit = i >= 63 ? value < 0 : (guint) (((guint64) value >> i) & 1);

          if (bit)
            buf[j / 8] |= (guint8) (0x80 >> (j % 8));
        }
    }
  bits_append (writer, buf, n_bits);
  return TRUE;
}

static gboolean
write_char (Parser      *self,
            const char  *at,
            BitWriter   *writer,
            gint64       c,
            SegmentSpec *spec)
{
  guint8 buf[8];
  gsize n = 0;

  if (c < 0 || c > 0x10FFFF || !is_valid_char ((guint32) c))
    {
      fail (self, at, BEAM_TERM_PARSE_ERROR_INVALID,
            _("%" PRId64 " is not a Unicode character"), c);
      return FALSE;
    }
  if (spec->type == SEGMENT_UTF8)
    n = g_unichar_to_utf8 ((gunichar) c, (char *) buf);
  else if (spec->type == SEGMENT_UTF32)
    {
      for (guint k = 0; k < 4; k++)
        buf[k] = (guint8) (c >> (spec->little ? 8 * k : 24 - 8 * k));
      n = 4;
    }
  else
    {
      guint16 units[2];
      guint n_units = 1;

      if (c < 0x10000)
        units[0] = (guint16) c;
      else
        {
          units[0] = (guint16) (0xD800 + ((c - 0x10000) >> 10));
          units[1] = (guint16) (0xDC00 + ((c - 0x10000) & 0x3ff));
          n_units = 2;
        }
      for (guint u = 0; u < n_units; u++)
        {
          buf[n++] = (guint8) (spec->little ? units[u] : units[u] >> 8);
          buf[n++] = (guint8) (spec->little ? units[u] >> 8 : units[u]);
        }
    }
  if (!spend_budget (self, at, n * 8))
    return FALSE;
  bits_append (writer, buf, n * 8);
  return TRUE;
}

static gboolean
write_float (Parser      *self,
             const char  *at,
             BitWriter   *writer,
             double       value,
             guint64      n_bits,
             gboolean     little)
{
  guint8 buf[8];
  guint64 bits;

  if (n_bits == 64)
    memcpy (&bits, &value, sizeof bits);
  else if (n_bits == 32)
    {
      float single = (float) value;
      guint32 bits32;

      if (!isfinite (single))
        {
          fail (self, at, BEAM_TERM_PARSE_ERROR_INVALID, _("the float is too big for 32 bits"));
          return FALSE;
        }
      memcpy (&bits32, &single, sizeof bits32);
      bits = bits32;
    }
  else
    {
      fail (self, at, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
            _("floats in binaries are 32 or 64 bits"));
      return FALSE;
    }
  for (guint k = 0; k < n_bits / 8; k++)
    buf[k] = (guint8) (bits >> (little ? 8 * k : n_bits - 8 - 8 * k));
  if (!spend_budget (self, at, n_bits))
    return FALSE;
  bits_append (writer, buf, n_bits);
  return TRUE;
}

/* One segment: a value, then its size and type. */
static gboolean
parse_segment (Parser    *self,
               BitWriter *writer)
{
  const char *start = self->p;
  g_autoptr(GArray) text = NULL;      /* a string's characters */
  g_autoptr(BeamTerm) number = NULL;
  gboolean elixir_string = FALSE;
  SegmentSpec spec;
  guint hash;
  char c = peek (self, 0);

  if (c == '"' && !is_elixir (self))
    text = read_erlang_strings (self);
  else if (c == '"')
    {
      elixir_string = TRUE;
      if (looking_at (self, "\"\"\""))
        {
          fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                _("heredocs are not supported; write the text on one line with \\n"));
          return FALSE;
        }
      self->p++;
      text = read_quoted (self, start, '"');
    }
  else if (g_ascii_isdigit (c))
    number = parse_number (self, FALSE, &hash);
  else if ((c == '-' || c == '+') && g_ascii_isdigit (peek (self, 1)))
    {
      self->p++;
      number = parse_number (self, c == '-', &hash);
    }
  else if ((c == '$' && !is_elixir (self)) || (c == '?' && is_elixir (self)))
    number = parse_char (self, &hash);
  else if (c == '<' && peek (self, 1) == '<')
    {
      fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
            _("binaries inside binaries are not supported; write their bytes"));
      return FALSE;
    }
  else
    {
      fail_expected (self, _("an integer, a float or a string"));
      return FALSE;
    }
  if (text == NULL && number == NULL)
    return FALSE;

  if (!parse_segment_spec (self, &spec))
    return FALSE;
  /* Elixir reads a float literal as a float segment; Erlang wants /float. */
  if (spec.type == SEGMENT_DEFAULT)
    spec.type = elixir_string ? SEGMENT_BINARY
                : number != NULL && number->kind == BEAM_TERM_FLOAT && is_elixir (self)
                ? SEGMENT_FLOAT
                : SEGMENT_INTEGER;

  if (number != NULL && number->kind == BEAM_TERM_BIG_INTEGER)
    {
      fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
            _("integers in binaries must fit in 64 bits"));
      return FALSE;
    }
  if (number != NULL && number->kind == BEAM_TERM_FLOAT && spec.type != SEGMENT_FLOAT)
    {
      fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
            _("a float in a binary must be of type float"));
      return FALSE;
    }

  switch (spec.type)
    {
    case SEGMENT_INTEGER:
      {
        guint64 n_bits = (guint64) (spec.size < 0 ? 8 : spec.size) * (spec.unit ? spec.unit : 1);

        if (elixir_string)
          break;
        if (number != NULL)
          return write_integer (self, start, writer, number->v.integer, n_bits, spec.little);
        for (guint i = 0; i < text->len; i++)
          if (!write_integer (self, start, writer, g_array_index (text, guint32, i), n_bits,
                              spec.little))
            return FALSE;
        return TRUE;
      }

    case SEGMENT_FLOAT:
      {
        guint64 n_bits = (guint64) (spec.size < 0 ? 64 : spec.size) * (spec.unit ? spec.unit : 1);

        if (number == NULL)
          break;
        return write_float (self, start, writer,
                            number->kind == BEAM_TERM_FLOAT ? number->v.floating
                                                            : (double) number->v.integer,
                            n_bits, spec.little);
      }

    case SEGMENT_UTF8:
    case SEGMENT_UTF16:
    case SEGMENT_UTF32:
      if (spec.size >= 0 || spec.unit != 0)
        {
          fail (self, start, BEAM_TERM_PARSE_ERROR_SYNTAX,
                _("utf8, utf16 and utf32 segments take no size"));
          return FALSE;
        }
      if (number != NULL)
        return write_char (self, start, writer, number->v.integer, &spec);
      for (guint i = 0; i < text->len; i++)
        {
          guint32 unit = g_array_index (text, guint32, i);

          if (unit & RAW_BYTE)
            {
              fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                    _("a byte escape cannot be a utf segment's character"));
              return FALSE;
            }
          if (!write_char (self, start, writer, unit, &spec))
            return FALSE;
        }
      return TRUE;

    case SEGMENT_BINARY:
    case SEGMENT_BITSTRING:
      {
        g_autoptr(GByteArray) bytes = NULL;
        guint64 n_bits;

        if (!elixir_string)
          break;
        bytes = units_to_bytes (self, start, text);
        if (bytes == NULL)
          return FALSE;
        n_bits = (guint64) bytes->len * 8;
        if (spec.size >= 0)
          {
            guint64 wanted = (guint64) spec.size *
                             (spec.unit ? spec.unit : spec.type == SEGMENT_BINARY ? 8 : 1);

            if (wanted > n_bits)
              {
                fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
                      _("the segment is shorter than its size"));
                return FALSE;
              }
            n_bits = wanted;
          }
        if (!spend_budget (self, start, n_bits))
          return FALSE;
        bits_append (writer, bytes->data, n_bits);
        return TRUE;
      }

    case SEGMENT_DEFAULT:
    default:
      break;
    }

  fail (self, start, BEAM_TERM_PARSE_ERROR_INVALID,
               _("this value cannot be written with that segment type"));
  return FALSE;
}

/* <<Segment, ...>> */
static BeamTerm *
parse_binary (Parser *self,
              guint  *hash)
{
  BitWriter writer = { g_byte_array_new (), 0 };
  BeamTerm *term = NULL;

  if (!enter (self))
    goto out;
  self->p += 2;
  if (!skip_space (self))
    goto out_depth;
  while (!looking_at (self, ">>"))
    {
      if (!parse_segment (self, &writer) || !skip_space (self))
        goto out_depth;
      if (peek (self, 0) == ',')
        {
          self->p++;
          if (!skip_space (self))
            goto out_depth;
          continue;
        }
      if (!looking_at (self, ">>"))
        {
          fail_expected (self, _("`,` or `>>`"));
          goto out_depth;
        }
    }
  self->p += 2;
  term = beam_term_new_bitstring (writer.bytes->data, writer.n_bits);
  *hash = hash_term_leaf (term);

out_depth:
  self->depth--;
out:
  g_byte_array_unref (writer.bytes);
  return term;
}

/* Terms */

static BeamTerm *
parse_term (Parser *self,
            guint  *hash)
{
  const char *start;
  gunichar c;

  if (!skip_space (self))
    return NULL;
  start = self->p;
  if (at_end (self))
    return fail_expected (self, _("a term"));
  c = current_char (self);

  switch (c)
    {
    case '{':
      return parse_sequence (self, '}', hash);
    case '[':
      return parse_sequence (self, ']', hash);
    case '<':
      if (peek (self, 1) == '<')
        return parse_binary (self, hash);
      if (g_ascii_isdigit (peek (self, 1)))
        return fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                     _("pids cannot be typed; match them with '_' or a match variable"));
      break;
    case '#':
      if (refuse_opaque (self))
        return NULL;
      if (peek (self, 1) == '{')
        return parse_map (self, hash, NULL, 0);
      break;
    case '%':
      if (peek (self, 1) == '{')
        return parse_map (self, hash, NULL, 0);
      if (is_elixir (self) && g_ascii_isupper (peek (self, 1)))
        return parse_struct (self, hash);
      break;
    case '"':
      if (is_elixir (self))
        return parse_elixir_quoted (self, hash);
      {
        g_autoptr(GArray) units = read_erlang_strings (self);

        return units != NULL ? units_to_list (units, hash) : NULL;
      }
    case '\'':
      if (is_elixir (self))
        return parse_elixir_quoted (self, hash);
      {
        g_autoptr(GArray) units = NULL;

        self->p++;
        units = read_quoted (self, start, '\'');
        return units != NULL ? units_to_atom (self, start, units, hash) : NULL;
      }
    case '$':
      if (!is_elixir (self))
        return parse_char (self, hash);
      break;
    case '?':
      if (is_elixir (self))
        return parse_char (self, hash);
      break;
    case ':':
      if (is_elixir (self))
        return parse_elixir_atom (self, hash);
      break;
    case '~':
      if (is_elixir (self))
        return parse_elixir_sigil (self, hash);
      break;
    case '&':
      if (is_elixir (self))
        return fail (self, start, BEAM_TERM_PARSE_ERROR_UNSUPPORTED,
                     _("funs cannot be typed; match them with :_ or a match variable"));
      break;
    case '-':
    case '+':
      {
        gboolean negative = c == '-';

        self->p++;
        if (!skip_space (self))
          return NULL;
        if (g_ascii_isdigit (peek (self, 0)))
          return parse_number (self, negative, hash);
        if ((peek (self, 0) == '$' && !is_elixir (self)) ||
            (peek (self, 0) == '?' && is_elixir (self)))
          {
            BeamTerm *term = parse_char (self, hash);

            if (term != NULL && negative)
              {
                term->v.integer = -term->v.integer;
                *hash = hash_term_leaf (term);
              }
            return term;
          }
        return fail_expected (self, _("a number after the sign"));
      }
    default:
      if (c < 128 && g_ascii_isdigit (c))
        return parse_number (self, FALSE, hash);
      if (!is_elixir (self) && (erlang_lower_start (c) || erlang_upper_start (c)))
        return parse_erlang_name (self, hash);
      if (is_elixir (self) && elixir_ident_start (c))
        return parse_elixir_name (self, hash);
      break;
    }

  {
    g_autofree char *found = describe_char (self, start);

    return fail (self, start, BEAM_TERM_PARSE_ERROR_SYNTAX, _("unexpected %s"), found);
  }
}

BeamTerm *
beam_term_parse (const char  *text,
                 BeamSyntax   syntax,
                 GError     **error)
{
  Parser self = { 0 };
  g_autoptr(BeamTerm) term = NULL;
  const char *invalid = NULL;
  gsize len;
  guint hash = 0;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (syntax == BEAM_SYNTAX_ERLANG || syntax == BEAM_SYNTAX_ELIXIR, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  len = strnlen (text, BEAM_TERM_PARSE_MAX_BYTES + 1);
  if (len > BEAM_TERM_PARSE_MAX_BYTES)
    {
      g_set_error (error, BEAM_TERM_PARSE_ERROR, BEAM_TERM_PARSE_ERROR_TOO_LARGE,
                   g_dngettext (NULL, "Texts longer than %d byte cannot be typed",
                                "Texts longer than %d bytes cannot be typed",
                                BEAM_TERM_PARSE_MAX_BYTES), BEAM_TERM_PARSE_MAX_BYTES);
      return NULL;
    }

  self.text = text;
  self.end = text + len;
  self.p = text;
  self.syntax = syntax;
  self.binary_budget = BEAM_TERM_PARSE_MAX_BINARY;

  if (!g_utf8_validate_len (text, len, &invalid))
    fail (&self, invalid, BEAM_TERM_PARSE_ERROR_INVALID, _("the text is not valid UTF-8"));
  else
    term = parse_term (&self, &hash);

  if (term != NULL && skip_space (&self))
    {
      /* Erlang's full stop ends a term as it ends an expression. */
      if (!is_elixir (&self) && peek (&self, 0) == '.')
        {
          self.p++;
          skip_space (&self);
        }
      if (self.error == NULL && !at_end (&self))
        {
          g_autofree char *found = describe_char (&self, self.p);

          fail (&self, self.p, BEAM_TERM_PARSE_ERROR_SYNTAX,
                _("unexpected %s after the term"), found);
        }
    }

  if (self.error != NULL)
    {
      g_propagate_error (error, self.error);
      return NULL;
    }
  g_assert (term != NULL);
  return g_steal_pointer (&term);
}
