/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli in German (issue 16, item 4): the catalog built from
 * po/de.po (BEAMSCOPE_LOCALEDIR points at the build folder's po/) answers the
 * CLI's messages, and its plural forms follow German's rule: one form for 1,
 * the other for 0, 2 and 21. */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

static void
test_help_in_german (void)
{
  const char *argv[] = { g_getenv ("BEAMSCOPE_CLI"), "--help", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  envp = g_environ_setenv (envp, "LANGUAGE", "de", TRUE);
  envp = g_environ_setenv (envp, "LANG", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LC_ALL");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s", out);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  /* The CLI's own option text, and GLib's own heading in German. */
  g_assert_nonnull (strstr (out, "JSON ausgeben"));
  g_assert_null (strstr (out, "Print JSON"));
}

static void
test_plural_forms (void)
{
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%s process", "%s processes", 1), ==,
                   "%s Prozess");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%s process", "%s processes", 0), ==,
                   "%s Prozesse");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%s process", "%s processes", 2), ==,
                   "%s Prozesse");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "%s process", "%s processes", 21), ==,
                   "%s Prozesse");
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_unsetenv ("LC_ALL");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BEAMSCOPE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (g_getenv ("BEAMSCOPE_LOCALEDIR"));
  g_test_add_func ("/translation-cli/help-in-german", test_help_in_german);
  g_test_add_func ("/translation-cli/plural-forms", test_plural_forms);
  return g_test_run ();
}
