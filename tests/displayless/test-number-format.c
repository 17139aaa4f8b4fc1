/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one number formatter (issue 13, item 3): sizes in the chosen units,
 * words as bytes, counts grouped the same way whatever the locale. */

#include <locale.h>

#include "beam-number-format.h"

static void
assert_formats (char       *text,
                const char *expected)
{
  g_assert_cmpstr (text, ==, expected);
  g_free (text);
}

static void
test_bytes_follow_units (void)
{
  beam_number_format_set_size_units (BEAM_SIZE_UNITS_BINARY);
  assert_formats (beam_format_bytes (1536 * 1024), "1.5\u00a0MiB");
  assert_formats (beam_format_bytes (512), "512 bytes");
  assert_formats (beam_format_bytes (-1), "—");
  assert_formats (beam_format_bytes_change (-2048), "−2.0\u00a0KiB");
  assert_formats (beam_format_bytes_change (0), "");
  assert_formats (beam_format_bytes_per_second (1024), "1.0\u00a0KiB/s");

  beam_number_format_set_size_units (BEAM_SIZE_UNITS_DECIMAL);
  assert_formats (beam_format_bytes (1536 * 1024), "1.6\u00a0MB");
  assert_formats (beam_format_bytes_change (2000), "+2.0\u00a0kB");
  beam_number_format_set_size_units (BEAM_SIZE_UNITS_BINARY);
}

static void
test_words_become_bytes (void)
{
  assert_formats (beam_format_words (233, 8), "1.8\u00a0KiB");
  assert_formats (beam_format_words (-1, 8), "—");
  assert_formats (beam_format_words (G_MAXINT64, 8), "—");
  assert_formats (beam_format_word_count (1234567), "1,234,567 words");
  assert_formats (beam_format_word_count (1), "1 word");
}

static void
test_counts_are_grouped (void)
{
  assert_formats (beam_format_count (0), "0");
  assert_formats (beam_format_count (999), "999");
  assert_formats (beam_format_count (1000), "1,000");
  assert_formats (beam_format_count (11700000000), "11,700,000,000");
  assert_formats (beam_format_count (G_MAXINT64), "9,223,372,036,854,775,807");
  assert_formats (beam_format_count (-5), "—");
  assert_formats (beam_format_count_change (-1234), "−1,234");
  assert_formats (beam_format_count_per_second (12345.4), "12,345/s");
  assert_formats (beam_format_count_per_second (-1), "—");
  assert_formats (beam_format_count_of (512, 1048576), "512 of 1,048,576 (0.0 %)");
  assert_formats (beam_format_count_of (5, -1), "5");
}

static void
test_compact_for_axes (void)
{
  assert_formats (beam_format_compact (0), "0");
  assert_formats (beam_format_compact (950), "950");
  assert_formats (beam_format_compact (11700000), "11.7\u00a0M");
  assert_formats (beam_format_compact (250000), "250\u00a0k");
  assert_formats (beam_format_compact (1.0 / 0.0), "—");
}

static void
test_units_parse (void)
{
  BeamSizeUnits units = BEAM_SIZE_UNITS_BINARY;

  g_assert_true (beam_size_units_parse ("decimal", &units));
  g_assert_cmpint (units, ==, BEAM_SIZE_UNITS_DECIMAL);
  g_assert_false (beam_size_units_parse ("metric", &units));
  g_assert_cmpint (units, ==, BEAM_SIZE_UNITS_DECIMAL);
  g_assert_cmpstr (beam_size_units_to_string (units), ==, "decimal");
}

int
main (int    argc,
      char **argv)
{
  /* The C locale has no thousands separator: the formatter brings its own. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/number-format/bytes", test_bytes_follow_units);
  g_test_add_func ("/number-format/words", test_words_become_bytes);
  g_test_add_func ("/number-format/counts", test_counts_are_grouped);
  g_test_add_func ("/number-format/compact", test_compact_for_axes);
  g_test_add_func ("/number-format/units", test_units_parse);
  return g_test_run ();
}
