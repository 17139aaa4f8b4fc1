/* SPDX-License-Identifier: GPL-3.0-or-later */
/* beamscope-cli's commands about tables: `ets`, every ETS table as the
 * Tables page lists it. */

#define G_LOG_DOMAIN "beamscope-cli"

#include "config.h"

#include <glib/gi18n.h>

#include "beam-cli-private.h"
#include "beam-ets-tables.h"

static struct
{
  gboolean  all;
  int       count;
  char     *sort;
} ets_opts = { FALSE, 0, NULL };

GOptionEntry _beam_cli_ets_options[] = {
  { "all", 'a', 0, G_OPTION_ARG_NONE, &ets_opts.all,
    N_("Also the tables of kernel, stdlib and the runtime"), NULL },
  { "count", 'n', 0, G_OPTION_ARG_INT, &ets_opts.count,
    N_("Only the first N tables (default: all)"), N_("N") },
  { "sort", 's', 0, G_OPTION_ARG_STRING, &ets_opts.sort,
    N_("memory (default), size or name"), N_("KEY") },
  G_OPTION_ENTRY_NULL
};

static gboolean
parse_sort (const char  *text,
            BeamEtsSort *sort)
{
  if (text == NULL || g_str_equal (text, "memory"))
    *sort = BEAM_ETS_SORT_MEMORY;
  else if (g_str_equal (text, "size"))
    *sort = BEAM_ETS_SORT_SIZE;
  else if (g_str_equal (text, "name"))
    *sort = BEAM_ETS_SORT_NAME;
  else
    return FALSE;
  return TRUE;
}

int
_beam_cli_ets (BeamCli *cli)
{
  g_autoptr(BeamEtsTables) tables = NULL;
  g_autoptr(GError) error = NULL;
  BeamEtsSort sort;
  guint shown = 0;
  int status;

  if (!parse_sort (ets_opts.sort, &sort))
    return _beam_cli_usage_error (_("--sort takes memory, size or name"));
  if (ets_opts.count < 0)
    return _beam_cli_usage_error (_("-n must be 0 (all) or more"));
  if ((status = _beam_cli_connect (cli)) != 0)
    return status;
  beam_ets_tables_async (cli->connection, NULL, _beam_cli_stash, cli);
  tables = beam_ets_tables_finish (_beam_cli_wait_and_close (cli), &error);
  if (tables == NULL)
    return _beam_cli_fail (error);
  beam_ets_tables_sort (tables, sort);

  if (cli->json)
    {
      _beam_cli_print_json (beam_ets_tables_to_json (tables, ets_opts.all,
                                                     (guint) ets_opts.count));
      return 0;
    }
  g_print ("%-32s %-13s %10s %12s %-16s %s\n", _("NAME"), _("TYPE"), _("SIZE"), _("MEMORY"),
           _("OWNER"), _("PROTECTION"));
  for (guint i = 0; i < tables->n_tables; i++)
    {
      const BeamEtsTable *table = &tables->tables[i];

      if ((table->system && !ets_opts.all) ||
          (ets_opts.count > 0 && shown >= (guint) ets_opts.count))
        continue;
      shown++;
      g_print ("%-32s %-13s %10" G_GINT64_FORMAT " %12" G_GINT64_FORMAT " %-16s %s\n",
               table->name, table->type, table->size, table->memory,
               table->owner_name != NULL ? table->owner_name
               : table->owner != NULL ? table->owner : "-",
               table->protection != NULL ? table->protection : "-");
    }
  return 0;
}
