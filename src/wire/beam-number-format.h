/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One way to write a number, for every page, window and the CLI's text
 * output (issue 13, item 3): byte sizes in the units the user chose, word
 * counts converted to bytes, counters with their digits grouped. Negative
 * values mean "not known" and read "—". Every function returns a new string. */

typedef enum
{
  BEAM_SIZE_UNITS_BINARY,   /* 1.5 MiB: as erlang:memory and observer users read sizes */
  BEAM_SIZE_UNITS_DECIMAL,  /* 1.6 MB: as GNOME writes them */
} BeamSizeUnits;

/* Process-wide: the GUI sets it from GSettings, the CLI from --units. */
void           beam_number_format_set_size_units (BeamSizeUnits  units);
BeamSizeUnits  beam_number_format_get_size_units (void);
/* "binary" or "decimal"; FALSE (and *units untouched) for anything else. */
gboolean       beam_size_units_parse             (const char    *text,
                                                  BeamSizeUnits *units);
const char    *beam_size_units_to_string         (BeamSizeUnits  units);

char *beam_format_bytes             (gint64  bytes);
/* "+1.2 MiB", "−512 bytes"; "" for no change, so that changes stand out. */
char *beam_format_bytes_change      (gint64  change);
char *beam_format_bytes_per_second  (double  bytes_per_second);
/* Heap and stack sizes come in words: written as bytes... */
char *beam_format_words             (gint64  words,
                                     guint   wordsize);
/* ...with the words themselves for a tooltip: "1,234 words". */
char *beam_format_word_count        (gint64  words);

/* "1,234,567": the locale's thousands separator, or "," where it has none,
 * so that a count never reads as a different number in another column. */
char *beam_format_count             (gint64  count);
char *beam_format_count_change      (gint64  change);
/* "12,345/s", whole numbers: rates of counters such as reductions. */
char *beam_format_count_per_second  (double  per_second);
/* "1,234 of 1,048,576 (0.1 %)" */
char *beam_format_count_of          (gint64  count,
                                     gint64  limit);
/* For chart axes only, where the space is three digits: "11.7 M" (the
 * space unbreakable, as GLib writes sizes). */
char *beam_format_compact           (double  value);

G_END_DECLS
