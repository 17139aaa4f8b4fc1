/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cookie files read as OTP 25's auth.erl reads them (kernel/src/auth.erl,
 * check_cookie/2 and check_attributes/4), so that Beamscope and erl agree on
 * the cookie of any file erl accepts, and refuse the files erl refuses. */

#include <glib/gstdio.h>

#include "beam-cookie.h"
#include "beam-wire-error.h"

static char *scratch;

static char *
write_cookie (const char *name,
              const char *contents,
              gssize      length,
              int         mode)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (scratch, name, NULL);

  g_unlink (path);
  g_assert_true (g_file_set_contents_full (path, contents, length, G_FILE_SET_CONTENTS_NONE,
                                           mode, &error));
  g_assert_no_error (error);
  return path;
}

static void
assert_reads_as (const char *contents,
                 gssize      length,
                 const char *expected)
{
  g_autofree char *path = write_cookie ("cookie", contents, length, 0400);
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = beam_cookie_read_file (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (cookie, ==, expected);
}

static void
assert_refused (const char *contents,
                gssize      length,
                int         mode,
                const char *why)
{
  g_autofree char *path = write_cookie ("cookie", contents, length, mode);
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = beam_cookie_read_file (path, &error);

  g_assert_null (cookie);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE);
  g_assert_nonnull (strstr (error->message, why));
  g_assert_nonnull (strstr (error->message, path));
}

static void
test_accepted (void)
{
  assert_reads_as ("SECRET", -1, "SECRET");
  assert_reads_as ("SECRET\n", -1, "SECRET");
  assert_reads_as ("SECRET\r\n\n  \n", -1, "SECRET");
  /* Spaces are printable: erl keeps them, inside and at the end. */
  assert_reads_as ("a b  \n", -1, "a b  ");
  assert_reads_as ("~!@#$%^&*()_+{}|:\"<>?", -1, "~!@#$%^&*()_+{}|:\"<>?");
}

/* The same file, read by a real erl: what it calls its cookie is ours. */
static void
test_agrees_with_erl (void)
{
  static const char contents[] = "A b~c  \r\n\n";
  g_autofree char *home = g_build_filename (scratch, "erl-home", NULL);
  g_autofree char *path = g_build_filename (home, ".erlang.cookie", NULL);
  g_autofree char *alive = g_strdup_printf ("cookiecheck_%08x", g_random_int ());
  g_autofree char *ours = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "HOME", home, TRUE);
  const char *argv[] = { "erl", "-sname", alive, "-noshell", "-eval",
                         "io:format(\"[~s]\", [erlang:get_cookie()]), halt().", NULL };
  int status;

  g_mkdir_with_parents (home, 0700);
  g_assert_true (g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_NONE,
                                           0400, &error));
  ours = beam_cookie_read_file (path, &error);
  g_assert_no_error (error);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, NULL, &status, &error));
  g_assert_no_error (error);
  expected = g_strdup_printf ("[%s]", ours);
  g_assert_cmpstr (out, ==, expected);
  g_unlink (path);
  g_rmdir (home);
}

static void
test_refused (void)
{
  assert_refused ("SECRET\nMORE\n", -1, 0400, "characters");
  assert_refused ("SEC\tRET", -1, 0400, "characters");
  assert_refused ("SEC\0RET", 7, 0400, "characters");
  assert_refused ("caf\xc3\xa9", -1, 0400, "characters");
  assert_refused ("\n", -1, 0400, "empty");
  assert_refused ("", 0, 0400, "empty");
  assert_refused ("SECRET", -1, 0644, "owner only");
  assert_refused ("SECRET", -1, 0440, "owner only");
}

static void
test_not_a_file (void)
{
  g_autofree char *dir = g_build_filename (scratch, "a-directory", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = NULL;

  g_mkdir (dir, 0700);
  cookie = beam_cookie_read_file (dir, &error);
  g_assert_null (cookie);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE);
  g_rmdir (dir);
}

static void
test_resolve (void)
{
  g_autofree char *path = write_cookie ("file-cookie", "FROMFILE\n", -1, 0400);
  g_autofree char *home = g_build_filename (scratch, "home", NULL);
  g_autofree char *home_cookie = g_build_filename (home, ".erlang.cookie", NULL);
  g_autofree char *xdg = g_build_filename (scratch, "config", "erlang", NULL);
  g_autofree char *xdg_cookie = g_build_filename (xdg, ".erlang.cookie", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *given = beam_cookie_resolve ("GIVEN", path, &error);
  g_autofree char *from_file = beam_cookie_resolve (NULL, path, &error);
  g_autofree char *from_xdg = NULL;
  g_autofree char *from_home = NULL;
  g_autofree char *empty = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (given, ==, "GIVEN");
  g_assert_cmpstr (from_file, ==, "FROMFILE");

  /* No ~/.erlang.cookie: the XDG one. Then ~/.erlang.cookie wins. */
  g_mkdir_with_parents (xdg, 0700);
  g_mkdir_with_parents (home, 0700);
  g_assert_true (g_file_set_contents_full (xdg_cookie, "XDG", -1, G_FILE_SET_CONTENTS_NONE,
                                           0400, NULL));
  from_xdg = beam_cookie_resolve (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_xdg, ==, "XDG");
  g_assert_true (g_file_set_contents_full (home_cookie, "HOME", -1, G_FILE_SET_CONTENTS_NONE,
                                           0400, NULL));
  from_home = beam_cookie_resolve (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (from_home, ==, "HOME");

  empty = beam_cookie_resolve ("", NULL, &error);
  g_assert_null (empty);
  g_assert_error (error, BEAM_WIRE_ERROR, BEAM_WIRE_ERROR_COOKIE_UNREADABLE);

  g_unlink (home_cookie);
  g_unlink (xdg_cookie);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = NULL;
  g_autofree char *config = NULL;
  int status;

  scratch = g_dir_make_tmp ("beamscope-cookie-XXXXXX", NULL);
  g_assert_nonnull (scratch);
  /* Before GLib reads them: a home and a config folder of our own. */
  home = g_build_filename (scratch, "home", NULL);
  config = g_build_filename (scratch, "config", NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cookie/accepted", test_accepted);
  g_test_add_func ("/cookie/agrees-with-erl", test_agrees_with_erl);
  g_test_add_func ("/cookie/refused", test_refused);
  g_test_add_func ("/cookie/not-a-file", test_not_a_file);
  g_test_add_func ("/cookie/resolve", test_resolve);
  status = g_test_run ();

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *path = g_build_filename (scratch, i == 0 ? "cookie" : "file-cookie",
                                                NULL);

      g_unlink (path);
    }
  return status;
}
