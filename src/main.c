/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <ei.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>

#include "beam-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(BeamApplication) app = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* ei writes with plain write(): a node that drops us must not kill us. And
   * ei_init() must run once, before any network thread starts. */
  signal (SIGPIPE, SIG_IGN);
  if (ei_init () != 0)
    {
      g_printerr ("beamscope: %s\n", _("cannot initialise erl_interface"));
      return 1;
    }

  app = beam_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
