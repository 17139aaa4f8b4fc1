/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "beam-application.h"
#include "beam-connection.h"
#include "beam-cookie.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(BeamApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  int status;

  beam_application_tune_allocator ();
  setlocale (LC_ALL, "");
  /* BEAMSCOPE_LOCALEDIR runs an uninstalled build in another language: the
   * tests point it at the build folder's po/, where the catalogs are built. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("BEAMSCOPE_LOCALEDIR") != NULL
                                   ? g_getenv ("BEAMSCOPE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (!beam_connection_init_process (&error))
    {
      g_printerr ("beamscope: %s\n", error->message);
      return 1;
    }

  /* GApplication parses a copy: the cookie leaves the arguments ps shows
   * before the window even opens. */
  args = g_strdupv (argv);
  beam_cookie_scrub_argv (argc, argv);

  app = beam_application_new ();
  status = g_application_run (G_APPLICATION (app), argc, args);
  return status != 0 ? status : beam_application_get_exit_status (app);
}
