/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "beamscope-wire"

#include "beam-number-format.h"

#include <glib/gi18n.h>
#include <langinfo.h>
#include <math.h>
#include <string.h>

#define UNKNOWN "—"

static gint size_units = BEAM_SIZE_UNITS_BINARY;

void
beam_number_format_set_size_units (BeamSizeUnits units)
{
  g_return_if_fail (units == BEAM_SIZE_UNITS_BINARY || units == BEAM_SIZE_UNITS_DECIMAL);
  g_atomic_int_set (&size_units, units);
}

BeamSizeUnits
beam_number_format_get_size_units (void)
{
  return g_atomic_int_get (&size_units);
}

gboolean
beam_size_units_parse (const char    *text,
                       BeamSizeUnits *units)
{
  if (g_strcmp0 (text, "binary") == 0)
    *units = BEAM_SIZE_UNITS_BINARY;
  else if (g_strcmp0 (text, "decimal") == 0)
    *units = BEAM_SIZE_UNITS_DECIMAL;
  else
    return FALSE;
  return TRUE;
}

const char *
beam_size_units_to_string (BeamSizeUnits units)
{
  return units == BEAM_SIZE_UNITS_DECIMAL ? "decimal" : "binary";
}

static GFormatSizeFlags
size_flags (void)
{
  return beam_number_format_get_size_units () == BEAM_SIZE_UNITS_DECIMAL
         ? G_FORMAT_SIZE_DEFAULT : G_FORMAT_SIZE_IEC_UNITS;
}

char *
beam_format_bytes (gint64 bytes)
{
  return bytes < 0 ? g_strdup (UNKNOWN) : g_format_size_full ((guint64) bytes, size_flags ());
}

static guint64
magnitude_of (gint64 value)
{
  return value < 0 ? -(guint64) value : (guint64) value;
}

char *
beam_format_bytes_change (gint64 change)
{
  g_autofree char *size = NULL;

  if (change == 0)
    return g_strdup ("");
  size = g_format_size_full (magnitude_of (change), size_flags ());
  return g_strdup_printf ("%s%s", change > 0 ? "+" : "−", size);
}

char *
beam_format_bytes_per_second (double bytes_per_second)
{
  g_autofree char *size = NULL;

  if (!(bytes_per_second >= 0) || bytes_per_second > (double) G_MAXINT64)
    return g_strdup (UNKNOWN);
  size = g_format_size_full ((guint64) llround (bytes_per_second), size_flags ());
  /* Translators: a rate in bytes, "1.2 MB" + "/s" */
  return g_strdup_printf (_("%s/s"), size);
}

char *
beam_format_words (gint64 words,
                   guint  wordsize)
{
  if (words < 0 || wordsize == 0 || (guint64) words > G_MAXUINT64 / wordsize)
    return g_strdup (UNKNOWN);
  return g_format_size_full ((guint64) words * wordsize, size_flags ());
}

/* Digits in threes, written out: printf's ' flag is not C, and a locale
 * without a separator (C, POSIX) would print counts that read differently
 * from those beside them. */
static char *
group_digits (guint64 magnitude)
{
  const char *separator = nl_langinfo (THOUSEP);
  char digits[24];
  GString *text;
  gsize n;

  if (separator == NULL || separator[0] == '\0')
    separator = ",";
  n = (gsize) g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, magnitude);
  text = g_string_sized_new (n * 2);
  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (text, separator);
      g_string_append_c (text, digits[i]);
    }
  return g_string_free (text, FALSE);
}

char *
beam_format_count (gint64 count)
{
  return count < 0 ? g_strdup (UNKNOWN) : group_digits ((guint64) count);
}

char *
beam_format_word_count (gint64 words)
{
  g_autofree char *count = NULL;

  if (words < 0)
    return g_strdup (UNKNOWN);
  count = group_digits ((guint64) words);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s word", "%s words",
                                       words > G_MAXULONG ? G_MAXULONG : (gulong) words),
                          count);
}

char *
beam_format_count_change (gint64 change)
{
  g_autofree char *count = NULL;

  if (change == 0)
    return g_strdup ("");
  count = group_digits (magnitude_of (change));
  return g_strdup_printf ("%s%s", change > 0 ? "+" : "−", count);
}

char *
beam_format_count_per_second (double per_second)
{
  g_autofree char *count = NULL;

  if (!(per_second >= 0) || per_second > (double) G_MAXINT64)
    return g_strdup (UNKNOWN);
  count = group_digits ((guint64) llround (per_second));
  /* Translators: a rate of a counter, "12,345" + "/s" */
  return g_strdup_printf (_("%s/s"), count);
}

char *
beam_format_count_of (gint64 count,
                      gint64 limit)
{
  g_autofree char *count_text = beam_format_count (count);
  g_autofree char *limit_text = NULL;

  if (count < 0 || limit <= 0)
    return g_steal_pointer (&count_text);
  limit_text = beam_format_count (limit);
  /* Translators: "1,234 of 1,048,576 (0.1 %)" */
  return g_strdup_printf (_("%s of %s (%.1f %%)"), count_text, limit_text,
                          100.0 * (double) count / (double) limit);
}

char *
beam_format_compact (double value)
{
  static const char *const prefixes[] = {
    "", "\u00a0k", "\u00a0M", "\u00a0G", "\u00a0T", "\u00a0P"
  };
  double magnitude = fabs (value);
  guint prefix = 0;

  if (!isfinite (value))
    return g_strdup (UNKNOWN);
  while (magnitude >= 1000 && prefix + 1 < G_N_ELEMENTS (prefixes))
    {
      magnitude /= 1000;
      value /= 1000;
      prefix++;
    }
  if (prefix == 0 || magnitude >= 100)
    return g_strdup_printf ("%.0f%s", value, prefixes[prefix]);
  return g_strdup_printf ("%.1f%s", value, prefixes[prefix]);
}
