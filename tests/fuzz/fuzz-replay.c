/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A main() for the fuzz targets without libFuzzer: it feeds the target every file of the
 * folders (or every file) it is given, so each test run replays the seed corpus and every
 * reproducer saved there, under any compiler. */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static guint
replay (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree guint8 *exact = NULL;
  gsize len = 0;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, &error);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;
      guint n = 0;

      g_assert_no_error (error);
      while ((name = g_dir_read_name (dir)) != NULL)
        g_ptr_array_add (names, g_build_filename (path, name, NULL));
      /* In name order, so that a failure is the same from run to run. */
      g_ptr_array_sort (names, compare_paths);
      for (guint i = 0; i < names->len; i++)
        n += replay (g_ptr_array_index (names, i));
      return n;
    }

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  printf ("replaying %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  fflush (stdout);
  /* The target gets exactly the file's bytes, as libFuzzer would give them. */
  exact = g_memdup2 (contents, len);
  LLVMFuzzerTestOneInput (exact, len);
  return 1;
}

int
main (int   argc,
      char *argv[])
{
  guint n = 0;

  for (int i = 1; i < argc; i++)
    n += replay (argv[i]);
  printf ("%u inputs replayed\n", n);
  return n > 0 ? 0 : 1;
}
